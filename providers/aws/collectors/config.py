"""AWS Config: configuration recorders and whether they are recording."""

from __future__ import annotations

from providers.aws.runner import AwsAccount, aws_collection
from providers.aws.session import AwsClients
from scanner.inventory.aws import monitoring as mon


def fetch_recorders(
    clients: AwsClients, region: str, account: AwsAccount
) -> tuple[mon.ConfigRegion, ...]:
    client = clients.client("config", region)
    # Neither call is paginated: a region has at most a handful of recorders.
    recorders = client.describe_configuration_recorders().get("ConfigurationRecorders", [])
    statuses = {
        s["name"]: s
        for s in client.describe_configuration_recorder_status().get(
            "ConfigurationRecordersStatus", []
        )
    }
    models = []
    for recorder in recorders:
        status = statuses.get(recorder["name"], {})
        group = recorder.get("recordingGroup", {})
        models.append(
            mon.ConfigRecorder(
                name=recorder["name"],
                recording=bool(status.get("recording")),
                last_status=status.get("lastStatus"),
                all_supported=bool(group.get("allSupported")),
                include_global_resources=bool(group.get("includeGlobalResourceTypes")),
                resource_types=len(group.get("resourceTypes", [])),
            )
        )
    return (mon.ConfigRegion(region=region, recorders=tuple(models)),)


COLLECTIONS = (
    aws_collection(
        mon.CONFIG_RECORDERS,
        "config_recorders",
        "config",
        ("config:DescribeConfigurationRecorders", "config:DescribeConfigurationRecorderStatus"),
        fetch_recorders,
        regional=True,
    ),
)
