using System.CommandLine;
using TableStore.Client;
using TableStore.Core;
using TableStore.Core.Api;
using TableStore.Core.IO;

namespace TableStore.Cli;

/// <summary>What every command may need from its surroundings: standard input, the environment and the global options.</summary>
internal sealed class CliContext(TextReader stdin, Func<string, string?> getEnv)
{
    public const string WarehouseVariable = "TABLESTORE_WAREHOUSE";
    public const string ClusterVariable = "TABLESTORE_CLUSTER";
    public const string ClusterIdVariable = "TABLESTORE_CLUSTER_ID";
    public const string DebugVariable = "TABLESTORE_DEBUG";
    /// <summary>How long <c>--cluster</c> commands may take to connect: a duration (<c>15s</c>, <c>1min</c>).</summary>
    public const string ConnectTimeoutVariable = "TABLESTORE_CONNECT_TIMEOUT";
    /// <summary>How long a <c>--cluster</c> write may take, retries included (default 2 min): then its outcome is unknown.</summary>
    public const string WriteTimeoutVariable = "TABLESTORE_WRITE_TIMEOUT";
    /// <summary>How long any other <c>--cluster</c> call (a read, one page of a scan) may take, retries included (default 1 min).</summary>
    public const string CallTimeoutVariable = "TABLESTORE_CALL_TIMEOUT";

    /// <summary>TLS to the gateway, trusting the system's roots: <c>1</c>/<c>true</c>/<c>on</c>.</summary>
    public const string TlsVariable = "TABLESTORE_TLS";

    /// <summary>TLS to the gateway, trusting this certificate (PEM or DER: a private CA, or the silos' self-signed one).</summary>
    public const string TlsCaVariable = "TABLESTORE_TLS_CA";
    public const string DefaultWarehouse = "./warehouse";

    public TextReader Stdin => stdin;

    /// <summary>Progress lines for long operations go to stderr only when a person is watching a terminal.</summary>
    public bool ShowProgress { get; init; }

    public string? GetEnv(string name) => getEnv(name);

    public bool Debug => GetEnv(DebugVariable) is "1" or "true" or "TRUE" or "True";

    /// <summary>Global, recursive: accepted before or after the subcommand.</summary>
    public Option<string> Warehouse { get; } = new("--warehouse")
    {
        Description = $"The warehouse: a folder path or a file:// URI (${WarehouseVariable}, else {DefaultWarehouse})",
        HelpName = "URI",
        Recursive = true,
        DefaultValueFactory = _ => getEnv(WarehouseVariable) is { } w && !string.IsNullOrWhiteSpace(w) ? w : DefaultWarehouse,
    };

    /// <summary>Global, recursive: the gateway of a running cluster, instead of opening the warehouse here.</summary>
    public Option<string?> Cluster { get; } = new("--cluster")
    {
        Description = $"Use a running TableStore cluster through its gateway, e.g. localhost:30000, or several separated by commas (${ClusterVariable}), instead of --warehouse",
        HelpName = "HOST:PORT[,HOST:PORT…]",
        Recursive = true,
        DefaultValueFactory = _ => getEnv(ClusterVariable) is { } c && !string.IsNullOrWhiteSpace(c) ? c : null,
    };

    public string WarehouseLocation(ParseResult pr) => pr.GetValue(Warehouse) ?? DefaultWarehouse;

    /// <summary>
    /// Opens the embedded engine on the warehouse, or connects to the cluster given by <c>--cluster</c>; called by
    /// each command when it runs, never while parsing.
    /// </summary>
    public async Task<ITableStore> OpenAsync(ParseResult pr, CancellationToken ct)
    {
        if (pr.GetValue(Cluster) is not { } cluster) return new EmbeddedTableStore(WarehouseLocation(pr), CliApp.Stores, ObjectStoreOptions.FromEnvironment(GetEnv));
        if (pr.GetResult(Warehouse) is { Implicit: false })
            throw new InvalidInputException("--cluster and --warehouse cannot be used together: in cluster mode the silos own the warehouse.");
        var clusterId = GetEnv(ClusterIdVariable) is { Length: > 0 } id ? id : Abstractions.TableStoreDefaults.ClusterId;
        var connect = Duration(ConnectTimeoutVariable, TableStoreClient.DefaultConnectTimeout, TableStoreClient.MaxConnectTimeout);
        var defaults = new TableStoreClientOptions();
        var write = Duration(WriteTimeoutVariable, defaults.WriteTimeout, TimeSpan.FromDays(1));
        var call = Duration(CallTimeoutVariable, defaults.CallTimeout, TimeSpan.FromDays(1));
        try
        {
            return await TableStoreClient.ConnectAsync(cluster, clusterId, clusterId, connect, o => (o.WriteTimeout, o.CallTimeout) = (write, call), Tls(), ct).ConfigureAwait(false);
        }
        catch (TableStoreException e) when (e is not InvalidInputException)
        {
            throw new TableStoreException($"{e.Message} (The cluster id comes from ${ClusterIdVariable}; the time allowed from ${ConnectTimeoutVariable}; TLS from ${TlsVariable} or ${TlsCaVariable}.)", e);
        }
    }

    /// <summary>TLS as <c>$TABLESTORE_TLS</c> and <c>$TABLESTORE_TLS_CA</c> ask for; null: none.</summary>
    private ConnectionTls? Tls()
    {
        if (GetEnv(TlsCaVariable) is { Length: > 0 } ca) return new ConnectionTls(Abstractions.Security.CertificateTrust.LoadTrusted(ca));
        return GetEnv(TlsVariable)?.Trim().ToLowerInvariant() switch
        {
            null or "" or "0" or "false" or "off" => null,
            "1" or "true" or "on" => new ConnectionTls(),
            var other => throw new InvalidInputException($"${TlsVariable} must be 1, true or on (or 0, false, off), got '{other}'; ${TlsCaVariable} names a certificate to trust."),
        };
    }

    /// <summary>A duration from the environment (<c>15s</c>, <c>2min</c>), positive and at most <paramref name="max"/>.</summary>
    private TimeSpan Duration(string variable, TimeSpan defaultValue, TimeSpan max)
    {
        if (GetEnv(variable) is not { Length: > 0 } text) return defaultValue;
        try
        {
            var value = Core.Schema.ConfigOption.ParseDuration(text);
            if (value <= TimeSpan.Zero || value > max) throw new FormatException($"must be more than 0 and at most {max}");
            return value;
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new InvalidInputException($"${variable}='{text}' is not a duration: {e.Message} (e.g. 15s, 1min).");
        }
    }
}
