"""The evidence provider plugin: the documents an auditor asks for, kept in a directory."""

from scanner.plugin import IdentityRole, ProviderPlugin, ScanOption

PLUGIN = ProviderPlugin(
    name="evidence",
    extra="",
    adapter="providers.evidence.adapter:EvidenceProvider",
    collections="providers.evidence.collections:COLLECTIONS",
    config_section="evidence",
    options=(
        ScanOption(
            "--evidence",
            "dir",
            "Evidence directory for --provider evidence (see docs/evidence.md).",
            directory=True,
        ),
    ),
    demo="providers.evidence.demo:demo_environment",
    identity=IdentityRole(evidence=True),
    waits_for="the evidence directory",
)
