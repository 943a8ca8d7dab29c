using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TableStore.Grains;

namespace TableStore.Server.Health;

/// <summary>
/// Ready while the warehouse answers: one existence check (a HEAD request on a cloud store) proves the address,
/// the credentials and the network path. A result is reused for a second, so frequent probes cost the store little.
/// </summary>
internal sealed class WarehouseHealthCheck(TableStoreRuntime runtime, IOptions<ServerOptions> options) : IHealthCheck, IDisposable
{
    // Any key will do: a missing object answers "false" just as fast, and no table can be named like this.
    private const string ProbeKey = "_health-probe";
    private static readonly TimeSpan Reuse = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider time = TimeProvider.System;
    private (HealthCheckResult Result, long Timestamp)? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_last is { } last && time.GetElapsedTime(last.Timestamp) < Reuse) return last.Result;
            var result = await ProbeAsync(cancellationToken).ConfigureAwait(false);
            _last = (result, time.GetTimestamp());
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var timeout = options.Value.ReadyTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var location = runtime.Store.Location;
        try
        {
            await runtime.Store.ExistsAsync(ProbeKey, deadline.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"warehouse {location} answers");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"warehouse {location} did not answer within {timeout}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"warehouse {location} cannot be read: {e.Message}", e);
        }
    }
}
