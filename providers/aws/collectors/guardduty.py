"""GuardDuty: the detectors of each region and whether they are enabled."""

from __future__ import annotations

from providers.aws.paginate import paginate
from providers.aws.runner import AwsAccount, aws_collection
from providers.aws.session import AwsClients
from scanner.inventory.aws import monitoring as mon


def fetch_detectors(
    clients: AwsClients, region: str, account: AwsAccount
) -> tuple[mon.GuardDutyRegion, ...]:
    client = clients.client("guardduty", region)
    detectors = tuple(
        mon.DetectorState(
            id=detector_id,
            status=str(client.get_detector(DetectorId=detector_id).get("Status", "UNKNOWN")),
        )
        for detector_id in paginate(client, "list_detectors", "DetectorIds")
    )
    return (mon.GuardDutyRegion(region=region, detectors=detectors),)


COLLECTIONS = (
    aws_collection(
        mon.GUARDDUTY_DETECTORS,
        "guardduty",
        "guardduty",
        ("guardduty:ListDetectors", "guardduty:GetDetector"),
        fetch_detectors,
        regional=True,
    ),
)
