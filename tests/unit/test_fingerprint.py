from __future__ import annotations

import subprocess
import sys

from scanner.fingerprint import fingerprint


def test_same_problem_same_fingerprint_across_processes() -> None:
    here = fingerprint("aws", "111122223333", "aws.iam.access_key_too_old", "arn:u/bob", "k1@t")
    code = (
        "from scanner.fingerprint import fingerprint;"
        "print(fingerprint('aws','111122223333','aws.iam.access_key_too_old','arn:u/bob','k1@t'))"
    )
    there = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "123", "PATH": ""},
    ).stdout.strip()
    assert here == there and len(here) == 32


def test_different_problems_never_share_one() -> None:
    seen = {
        fingerprint("aws", "1", "c", "r"),
        fingerprint("aws", "1", "c", "r", "key1"),
        fingerprint("aws", "1", "c", "r", "key2"),
        fingerprint("aws", "2", "c", "r"),
        fingerprint("aws", "1", "d", "r"),
        fingerprint("gcp", "1", "c", "r"),
        # concatenation ambiguity: parts are length-prefixed
        fingerprint("aws", "1", "c", "ab", "c"),
        fingerprint("aws", "1", "c", "a", "bc"),
    }
    assert len(seen) == 8
