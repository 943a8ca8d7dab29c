using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace TableStore.Server.Telemetry;

/// <summary>
/// Exports the silo's metrics with OpenTelemetry: the engine's and the service's meters (<c>TableStore.Core</c>:
/// commits, commit duration, rows written, sorted runs; <c>TableStore.Service</c>: writes, compaction backlog,
/// subscriber lag, ...), Orleans' own and the .NET runtime's. To an OTLP collector when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard OTEL_* variables apply), to Azure Monitor when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is; with neither, nothing is collected.
/// </summary>
internal static class SiloTelemetry
{
    public const string DefaultServiceName = "tablestore-silo";

    public static void AddSiloTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var azureMonitor = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        if (string.IsNullOrWhiteSpace(otlp) && string.IsNullOrWhiteSpace(azureMonitor)) return;
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : DefaultServiceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter("TableStore.*", "Microsoft.Orleans").AddRuntimeInstrumentation();
                if (!string.IsNullOrWhiteSpace(otlp)) metrics.AddOtlpExporter();
                if (!string.IsNullOrWhiteSpace(azureMonitor)) metrics.AddAzureMonitorMetricExporter(o => o.ConnectionString = azureMonitor);
            });
    }
}
