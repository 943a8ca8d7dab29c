using System.Net;
using TableStore.Abstractions;

namespace TableStore.Server;

/// <summary>
/// The silo host's settings, in the <c>TableStore</c> configuration section next to the grains' own
/// (<c>TableStore__SiloPort</c>, <c>TableStore__Clustering=redis</c>, ...).
/// </summary>
public sealed class ServerOptions
{
    public const string LocalhostClustering = "localhost";
    public const string RedisClustering = "redis";

    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;

    /// <summary><c>localhost</c> (one silo, no external dependency) or <c>redis</c> (a membership table in Redis).</summary>
    public string Clustering { get; set; } = LocalhostClustering;

    /// <summary>The Redis connection string for <c>Clustering=redis</c>, e.g. <c>localhost:6379</c>.</summary>
    public string? Redis { get; set; }

    /// <summary>Silos with the same cluster id form one cluster (Redis clustering keeps clusters apart by it).</summary>
    public string ClusterId { get; set; } = TableStoreDefaults.ClusterId;

    public string ServiceId { get; set; } = TableStoreDefaults.ClusterId;

    /// <summary>The address other silos and clients reach this one at; default: this host's address (127.0.0.1 for localhost clustering).</summary>
    public string? AdvertisedAddress { get; set; }

    public void Validate()
    {
        var errors = new List<string>();
        if (SiloPort is < 1 or > 65535) errors.Add($"SiloPort must be between 1 and 65535, got {SiloPort}.");
        if (GatewayPort is < 1 or > 65535) errors.Add($"GatewayPort must be between 1 and 65535, got {GatewayPort}.");
        if (SiloPort == GatewayPort) errors.Add($"SiloPort and GatewayPort must differ (both {SiloPort}).");
        if (!string.Equals(Clustering, LocalhostClustering, StringComparison.OrdinalIgnoreCase) && !string.Equals(Clustering, RedisClustering, StringComparison.OrdinalIgnoreCase))
            errors.Add($"Clustering must be '{LocalhostClustering}' or '{RedisClustering}', got '{Clustering}'.");
        if (IsRedis && string.IsNullOrWhiteSpace(Redis)) errors.Add("Clustering=redis needs a connection string in TableStore__Redis, e.g. localhost:6379.");
        if (string.IsNullOrWhiteSpace(ClusterId)) errors.Add("ClusterId is empty.");
        if (string.IsNullOrWhiteSpace(ServiceId)) errors.Add("ServiceId is empty.");
        if (AdvertisedAddress is { } a && !IPAddress.TryParse(a, out _)) errors.Add($"AdvertisedAddress '{a}' is not an IP address.");
        if (errors.Count > 0) throw new InvalidOperationException("Invalid TableStore server settings: " + string.Join(" ", errors));
    }

    public bool IsRedis => string.Equals(Clustering, RedisClustering, StringComparison.OrdinalIgnoreCase);
}
