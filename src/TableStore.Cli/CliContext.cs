using System.CommandLine;
using TableStore.Core.IO;
using TableStore.Core.Table;
using TableStore.Core.Utils;

namespace TableStore.Cli;

/// <summary>What every command may need from its surroundings: standard input, the environment and the global options.</summary>
internal sealed class CliContext(TextReader stdin, Func<string, string?> getEnv)
{
    public const string WarehouseVariable = "TABLESTORE_WAREHOUSE";
    public const string DebugVariable = "TABLESTORE_DEBUG";
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

    public string WarehouseLocation(ParseResult pr) => pr.GetValue(Warehouse) ?? DefaultWarehouse;

    /// <summary>Opens the warehouse; called by each command when it runs, never while parsing.</summary>
    public Catalog OpenCatalog(ParseResult pr) => new(ObjectStoreExtensions.OpenWarehouse(WarehouseLocation(pr)));

    public async Task<FileStoreTable> OpenTableAsync(ParseResult pr, string tableName, CancellationToken ct)
    {
        var id = Identifier.Parse(tableName);
        return await OpenCatalog(pr).GetTableAsync(id, ct).ConfigureAwait(false);
    }
}
