using System.CommandLine;
using System.Globalization;
using TableStore.Cli.Output;
using TableStore.Core.Schema;

namespace TableStore.Cli.Commands;

/// <summary>
/// <c>tablestore table options [--format table|csv|jsonl]</c>: every table option this version knows, from its
/// declaration (<see cref="CoreOptions.All"/>). Needs no warehouse or cluster.
/// </summary>
internal static class TableOptionsCommand
{
    /// <summary>The output columns, in contract order: scripts depend on it.</summary>
    internal static readonly IReadOnlyList<OutputColumn> Columns = [new("key"), new("values"), new("default"), new("restrictions"), new("description")];

    public static Command Build()
    {
        var format = CommonOptions.Format(RowFormatter.Table, RowFormatter.Formats);
        var command = new Command("options", "List the table options (--option key=value): values, default, what each does") { format };
        command.SetAction(pr =>
        {
            var outputFormat = pr.GetValue(format)!;
            var formatter = RowFormatter.Create(outputFormat, pr.Out(), Columns);
            formatter.Begin();
            foreach (var o in CoreOptions.All) formatter.Write([o.Key, o.Values, NullIfEmpty(o.DefaultText), NullIfEmpty(o.Restrictions), o.Description]);
            formatter.End();
            if (outputFormat == RowFormatter.Table)
                pr.Err().WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"({CoreOptions.All.Count} options; set with --option key=value at create or alter)"));
            return 0;
        });
        return command;
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}
