using System.CommandLine;
using System.Globalization;
using TableStore.Cli.Output;
using TableStore.Core.Lookup;
using TableStore.Core.Table;

namespace TableStore.Cli.Commands;

/// <summary>
/// <c>tablestore lookup &lt;db&gt;.&lt;table&gt; --key "col=value[,col=value]" [--snapshot N] [--format table|csv|jsonl]</c>:
/// the row with that primary key, read from the one bucket that can hold it. Nothing found is not an error:
/// exit 0, no row, and a note on stderr.
/// </summary>
internal static class LookupCommand
{
    public static Command Build(CliContext context)
    {
        var table = CommonOptions.TableArgument();
        var key = new Option<string>("--key")
        {
            Description = "The primary key: \"col=value[,col=value]\", every primary-key column once; quote values with commas: note='a,b'",
            HelpName = "KEY",
            Required = true,
        };
        var snapshot = CommonOptions.WholeNumber<long>("--snapshot", "Read this snapshot id (default: the latest)", "ID");
        var format = CommonOptions.Format(RowFormatter.Table, RowFormatter.Formats);
        var command = new Command("lookup", "Find one row by its primary key") { table, key, snapshot, format };
        command.SetAction(async (pr, ct) =>
        {
            var id = Identifier.Parse(pr.GetValue(table));
            await using var service = await context.OpenAsync(pr, ct).ConfigureAwait(false);
            var schema = await service.GetSchemaAsync(id, ct).ConfigureAwait(false);
            var typedKey = LookupKeys.ParseKey(schema, pr.GetValue(key)!);
            var result = await service.LookupAsync(id, typedKey, pr.GetValue(snapshot), ct).ConfigureAwait(false);
            var at = result.SnapshotId is { } s ? string.Create(CultureInfo.InvariantCulture, $"snapshot {s}") : "no snapshot";
            if (result.Row is null)
            {
                pr.Err().WriteLine($"No row with key {pr.GetValue(key)} in {id.FullName} ({at}).");
                return 0;
            }
            var outputFormat = pr.GetValue(format)!;
            var formatter = RowFormatter.Create(outputFormat, pr.Out(), schema.Fields.Select(OutputColumn.From).ToList());
            formatter.Begin();
            formatter.Write(result.Row);
            formatter.End();
            if (outputFormat == RowFormatter.Table) pr.Err().WriteLine($"(1 row, {at})");
            return 0;
        });
        return command;
    }
}
