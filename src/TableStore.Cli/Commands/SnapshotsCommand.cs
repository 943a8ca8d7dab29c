using System.CommandLine;
using System.Globalization;
using TableStore.Cli.Output;
using TableStore.Core.Manifest;
using TableStore.Core.Table;

namespace TableStore.Cli.Commands;

/// <summary><c>tablestore snapshots &lt;db&gt;.&lt;table&gt; [--format table|csv|jsonl]</c>: one row per retained snapshot.</summary>
internal static class SnapshotsCommand
{
    public const string TimeFormat = "yyyy-MM-dd HH:mm:ss.fff";

    /// <summary>The output columns, in contract order: scripts depend on it.</summary>
    internal static readonly IReadOnlyList<OutputColumn> Columns =
    [
        new("id", AlignRight: true),
        new("time"),
        new("kind"),
        new("total_records", AlignRight: true),
        new("delta_records", AlignRight: true),
        new("changelog_records", AlignRight: true),
        new("schema_id", AlignRight: true),
        new("commit_user"),
        new("commit_identifier", AlignRight: true),
    ];

    public static Command Build(CliContext context)
    {
        var table = CommonOptions.TableArgument();
        var format = CommonOptions.Format(RowFormatter.Table, RowFormatter.Formats);
        var command = new Command("snapshots", "List a table's snapshots: id, commit time (UTC), kind and record counts") { table, format };
        command.SetAction(async (pr, ct) =>
        {
            var id = Identifier.Parse(pr.GetValue(table));
            await using var service = await context.OpenAsync(pr, ct).ConfigureAwait(false);
            var snapshots = await service.ListSnapshotsAsync(id, ct).ConfigureAwait(false);
            var outputFormat = pr.GetValue(format)!;
            var formatter = RowFormatter.Create(outputFormat, pr.Out(), Columns);
            formatter.Begin();
            foreach (var s in snapshots) formatter.Write(ToRow(s));
            formatter.End();
            if (outputFormat == RowFormatter.Table)
                pr.Err().WriteLine(string.Create(CultureInfo.InvariantCulture, $"({snapshots.Count} snapshot{(snapshots.Count == 1 ? "" : "s")})"));
            return 0;
        });
        return command;
    }

    internal static object?[] ToRow(Snapshot s) =>
    [
        s.Id,
        s.Time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture),
        s.CommitKind.ToString().ToUpperInvariant(),
        s.TotalRecordCount,
        s.DeltaRecordCount,
        s.ChangelogRecordCount,
        s.SchemaId,
        s.CommitUser,
        s.CommitIdentifier,
    ];
}
