using System.CommandLine;
using System.Globalization;
using TableStore.Cli.Output;
using TableStore.Core.Table;

namespace TableStore.Cli.Commands;

/// <summary><c>tablestore consumer list|drop &lt;db&gt;.&lt;table&gt; [ID]</c>: streaming readers' recorded progress.</summary>
internal static class ConsumerCommands
{
    public static Command Build(CliContext context) => new("consumer", "List or drop the consumers (stream --consumer) of a table")
    {
        List(context),
        Drop(context),
    };

    private static Command List(CliContext context)
    {
        var table = CommonOptions.TableArgument();
        var format = CommonOptions.Format(RowFormatter.Table, RowFormatter.Formats);
        var command = new Command("list", "Each consumer and the next snapshot it will read (expiration keeps it)") { table, format };
        command.SetAction(async (pr, ct) =>
        {
            var id = Identifier.Parse(pr.GetValue(table));
            await using var service = await context.OpenAsync(pr, ct).ConfigureAwait(false);
            var consumers = await service.ListConsumersAsync(id, ct).ConfigureAwait(false);
            var outputFormat = pr.GetValue(format)!;
            var formatter = RowFormatter.Create(outputFormat, pr.Out(), [new("consumer"), new("next_snapshot", AlignRight: true)]);
            formatter.Begin();
            foreach (var c in consumers) formatter.Write([c.Id, c.NextSnapshot]);
            formatter.End();
            if (outputFormat == RowFormatter.Table)
                pr.Err().WriteLine(string.Create(CultureInfo.InvariantCulture, $"({consumers.Count} consumer{(consumers.Count == 1 ? "" : "s")})"));
            return 0;
        });
        return command;
    }

    private static Command Drop(CliContext context)
    {
        var table = CommonOptions.TableArgument();
        var consumer = new Argument<string>("id") { Description = "The consumer id" };
        var command = new Command("drop", "Forget a consumer: the snapshots it held back may expire") { table, consumer };
        command.SetAction(async (pr, ct) =>
        {
            var id = Identifier.Parse(pr.GetValue(table));
            await using var service = await context.OpenAsync(pr, ct).ConfigureAwait(false);
            await service.DropConsumerAsync(id, pr.GetValue(consumer)!, ct).ConfigureAwait(false);
            pr.Out().WriteLine($"Dropped consumer '{pr.GetValue(consumer)}' of {id.FullName}.");
            return 0;
        });
        return command;
    }
}
