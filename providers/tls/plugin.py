"""The TLS provider plugin: probes what endpoints serve (sslyze); opt-in, it sends traffic."""

from scanner.plugin import ProviderPlugin, ScanOption

PLUGIN = ProviderPlugin(
    name="tls",
    extra="tls",
    adapter="providers.tls.adapter:TlsProvider",
    collections="providers.tls.collections:COLLECTIONS",
    config_section="tls",
    options=(
        ScanOption(
            "--tls-endpoint",
            "endpoints",
            "HOST[:PORT] to probe with --provider tls (repeatable; port 443 by default).",
            multiple=True,
        ),
        ScanOption(
            "--probe-tls",
            "probe_cloud",
            "Also probe the TLS endpoints the cloud scans find (sends traffic to them).",
            switch=True,
        ),
        ScanOption(
            "--tls-ca-file",
            "ca_file",
            "PEM file of extra CAs to trust when validating chains (private CAs).",
            file=True,
        ),
    ),
    demo="providers.tls.demo:demo_environment",
    permissions="providers.tls.permissions:render",
    reads_run=True,
    preflight="providers.tls.adapter:preflight",
)
