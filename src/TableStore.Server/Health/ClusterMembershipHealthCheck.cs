using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TableStore.Server.Health;

/// <summary>Ready once this silo is an active member of its cluster: before that, a gateway would refuse clients.</summary>
internal sealed class ClusterMembershipHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = membership.CurrentSnapshot;
        var status = snapshot.GetSiloStatus(silo.SiloAddress);
        int active = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);
        var data = new Dictionary<string, object> { ["status"] = status.ToString(), ["activeSilos"] = active };
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"silo {silo.SiloAddress} is active in a cluster of {active}", data)
            : HealthCheckResult.Unhealthy($"silo {silo.SiloAddress} is {status}, not an active cluster member", data: data));
    }
}
