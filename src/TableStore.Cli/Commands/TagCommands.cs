using System.CommandLine;
using System.Globalization;
using TableStore.Cli.Output;
using TableStore.Core.Table;

namespace TableStore.Cli.Commands;

/// <summary><c>tablestore tag create|delete|list &lt;db&gt;.&lt;table&gt; [NAME] [--snapshot N]</c>; read a tag with <c>scan --tag NAME</c>.</summary>
internal static class TagCommands
{
    internal static readonly IReadOnlyList<OutputColumn> Columns =
    [
        new("tag"),
        new("snapshot_id", AlignRight: true),
        new("snapshot_time"),
        new("total_records", AlignRight: true),
    ];

    public static Command Build(CliContext context) => new("tag", "Name snapshots so they can be read later (scan --tag NAME)")
    {
        Create(context),
        Delete(context),
        List(context),
    };

    private static Argument<string> NameArgument() => new("name") { Description = "The tag name: letters, digits, '_', '-', '.'" };

    private static Command Create(CliContext context)
    {
        var table = CommonOptions.TableArgument();
        var name = NameArgument();
        var snapshot = CommonOptions.WholeNumber<long>("--snapshot", "The snapshot to tag (default: the latest)", "ID");
        var command = new Command("create", "Tag a snapshot") { table, name, snapshot };
        command.SetAction(async (pr, ct) =>
        {
            var id = Identifier.Parse(pr.GetValue(table));
            await using var service = await context.OpenAsync(pr, ct).ConfigureAwait(false);
            var tag = await service.CreateTagAsync(id, pr.GetValue(name)!, pr.GetValue(snapshot), ct).ConfigureAwait(false);
            pr.Out().WriteLine(string.Create(CultureInfo.InvariantCulture, $"Tagged snapshot {tag.Snapshot.Id} of {id.FullName} as '{tag.Name}'."));
            return 0;
        });
        return command;
    }

    private static Command Delete(CliContext context)
    {
        var table = CommonOptions.TableArgument();
        var name = NameArgument();
        var command = new Command("delete", "Delete a tag (the snapshot stays while retained)") { table, name };
        command.SetAction(async (pr, ct) =>
        {
            var id = Identifier.Parse(pr.GetValue(table));
            await using var service = await context.OpenAsync(pr, ct).ConfigureAwait(false);
            await service.DeleteTagAsync(id, pr.GetValue(name)!, ct).ConfigureAwait(false);
            pr.Out().WriteLine($"Deleted tag '{pr.GetValue(name)}' of {id.FullName}.");
            return 0;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var table = CommonOptions.TableArgument();
        var format = CommonOptions.Format(RowFormatter.Table, RowFormatter.Formats);
        var command = new Command("list", "List a table's tags by snapshot: tag, snapshot id, snapshot time (UTC), records") { table, format };
        command.SetAction(async (pr, ct) =>
        {
            var id = Identifier.Parse(pr.GetValue(table));
            await using var service = await context.OpenAsync(pr, ct).ConfigureAwait(false);
            var tags = await service.ListTagsAsync(id, ct).ConfigureAwait(false);
            var outputFormat = pr.GetValue(format)!;
            var formatter = RowFormatter.Create(outputFormat, pr.Out(), Columns);
            formatter.Begin();
            foreach (var t in tags)
                formatter.Write([t.Name, t.Snapshot.Id, t.Snapshot.Time.UtcDateTime.ToString(SnapshotsCommand.TimeFormat, CultureInfo.InvariantCulture), t.Snapshot.TotalRecordCount]);
            formatter.End();
            if (outputFormat == RowFormatter.Table)
                pr.Err().WriteLine(string.Create(CultureInfo.InvariantCulture, $"({tags.Count} tag{(tags.Count == 1 ? "" : "s")})"));
            return 0;
        });
        return command;
    }
}
