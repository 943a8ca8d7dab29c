using System.CommandLine;
using System.Globalization;
using TableStore.Core;
using TableStore.Core.Api;
using TableStore.Core.IO;
using TableStore.Core.Table;
using TableStore.Sql;

namespace TableStore.Cli.Commands;

/// <summary>
/// <c>tablestore export &lt;db&gt;.&lt;table&gt; [--snapshot N | --tag NAME] --to DIR|URI</c>: a merged, plain Parquet
/// copy of the table at one snapshot, for engines that know nothing of TableStore.
/// </summary>
internal static class ExportCommand
{
    public static Command Build(CliContext context)
    {
        var table = CommonOptions.TableArgument();
        var snapshot = CommonOptions.WholeNumber<long>("--snapshot", "Export this snapshot (default: the latest)", "ID");
        var tag = new Option<string?>("--tag") { Description = "Export the snapshot of this tag", HelpName = "NAME" };
        var to = new Option<string>("--to") { Description = "A new or empty folder, or a warehouse URI (s3://bucket/prefix, azure blob URL): Hive-style partition folders of zstd Parquet files", HelpName = "DIR|URI", Required = true };
        var command = new Command("export", "Write a merged, plain Parquet copy of a table at one snapshot (no system columns), for other engines") { table, snapshot, tag, to };
        command.Validators.Add(result =>
        {
            if (result.GetResult(snapshot) is { Implicit: false } && result.GetResult(tag) is { Implicit: false })
                result.AddError("--snapshot and --tag cannot be used together: give one of them.");
            if (result.GetValue(context.Cluster) is not null)
                result.AddError("export runs in this process over the warehouse (--warehouse); it does not run in a cluster yet.");
        });
        command.SetAction(async (pr, ct) =>
        {
            var id = Identifier.Parse(pr.GetValue(table));
            var suffix = pr.GetValue(snapshot) is { } s ? $"snapshot_{s.ToString(CultureInfo.InvariantCulture)}" : pr.GetValue(tag) is { } t ? $"tag_{t}" : "";
            var target = pr.GetValue(to)!;
            await using var store = (EmbeddedTableStore)await context.OpenAsync(pr, ct).ConfigureAwait(false);
            var destination = CliApp.Stores.Open(target, ObjectStoreOptions.FromEnvironment(context.GetEnv));
            if (context.ShowProgress) pr.Err().WriteLine($"(exporting {id.FullName}{(suffix.Length == 0 ? "" : "$" + suffix)} to {target})");
            var result = await TableExport.RunAsync(store.Catalog, id, suffix, destination, target, new SqlOptions(), ct).ConfigureAwait(false);
            pr.Out().WriteLine($"Exported {id.FullName} to {target}: {result}.");
            return 0;
        });
        return command;
    }
}
