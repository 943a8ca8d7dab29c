using System.CommandLine;
using System.Globalization;
using TableStore.Cli.Output;
using TableStore.Core;
using TableStore.Core.Scan;
using TableStore.Core.Table;

namespace TableStore.Cli.Commands;

/// <summary>
/// <c>tablestore scan &lt;db&gt;.&lt;table&gt; [--snapshot N | --as-of T] [--select a,b] [--where EXPR] [--format F] [--limit N]</c>.
/// </summary>
internal static class ScanCommand
{
    private static readonly string[] AsOfFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm",
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd",
    ];

    public static Command Build(CliContext context)
    {
        var table = CommonOptions.TableArgument();
        var snapshot = CommonOptions.WholeNumber<long>("--snapshot", "Read this snapshot id (default: the latest)", "ID");
        var asOf = new Option<string?>("--as-of")
        {
            Description = "Read the latest snapshot committed at or before this time: 'yyyy-MM-dd HH:mm:ss[.fff]' (UTC), ISO 8601, or epoch milliseconds",
            HelpName = "TIMESTAMP",
        };
        var tag = new Option<string?>("--tag") { Description = "Read the snapshot of this tag (tablestore tag list)", HelpName = "NAME" };
        var select = new Option<string?>("--select") { Description = "Columns to output, comma-separated (default: all)", HelpName = "COLUMNS" };
        var where = new Option<string?>("--where")
        {
            Description = "Row filter, e.g. \"status = 'paid' AND (amount >= 10 OR note IS NULL)\"",
            HelpName = "EXPR",
        };
        var format = CommonOptions.Format(RowFormatter.Table, RowFormatter.Formats);
        var limit = CommonOptions.WholeNumber<long>("--limit", "Output at most this many rows", "N");
        var command = new Command("scan", "Read a table (optionally an older snapshot), with projection, filter and limit")
        {
            table, snapshot, asOf, tag, select, where, format, limit,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(snapshot) is { Implicit: false } && result.GetResult(asOf) is { Implicit: false })
                result.AddError("--snapshot and --as-of cannot be used together: give one of them.");
            if (result.GetResult(tag) is { Implicit: false } && (result.GetResult(snapshot) is { Implicit: false } || result.GetResult(asOf) is { Implicit: false }))
                result.AddError("--tag cannot be used with --snapshot or --as-of: give one of them.");
        });
        command.SetAction(async (pr, ct) =>
        {
            var id = Identifier.Parse(pr.GetValue(table));
            var options = new ScanOptions
            {
                SnapshotId = pr.GetValue(snapshot),
                AsOf = pr.GetValue(asOf) is { } text ? ParseAsOf(text) : null,
                Tag = pr.GetValue(tag),
                Columns = CommonOptions.SplitList(pr.GetValue(select), "--select"),
                Filter = pr.GetValue(where),
                Limit = pr.GetValue(limit),
            };
            if (options.Filter is { } f && string.IsNullOrWhiteSpace(f))
                throw new InvalidInputException("The --where filter is empty.");
            await using var service = await context.OpenAsync(pr, ct).ConfigureAwait(false);
            var result = await service.ScanAsync(id, options, ct).ConfigureAwait(false);

            var outputFormat = pr.GetValue(format)!;
            var formatter = RowFormatter.Create(outputFormat, pr.Out(), result.Columns.Select(OutputColumn.From).ToList());
            formatter.Begin();
            await foreach (var row in result.Rows.WithCancellation(ct).ConfigureAwait(false)) formatter.Write(row);
            formatter.End();
            if (outputFormat == RowFormatter.Table)
            {
                var n = formatter.RowCount;
                pr.Err().WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"({n} row{(n == 1 ? "" : "s")}, {(result.SnapshotId is { } s ? $"snapshot {s}" : "no snapshot")})"));
            }
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Parses an <c>--as-of</c> time: epoch milliseconds, <c>yyyy-MM-dd HH:mm:ss[.fff]</c> or ISO 8601, with an
    /// optional zone offset (none means UTC).
    /// </summary>
    internal static DateTimeOffset ParseAsOf(string text)
    {
        var t = text.Trim();
        if (t.Length > 0 && t.All(char.IsAsciiDigit))
        {
            if (long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var millis)
                && millis <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
                return DateTimeOffset.FromUnixTimeMilliseconds(millis);
        }
        else if (DateTimeOffset.TryParseExact(t, AsOfFormats, CultureInfo.InvariantCulture,
                     DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            return time;
        throw new InvalidInputException(
            $"Invalid --as-of '{text}': expected 'yyyy-MM-dd HH:mm:ss[.fff]' (UTC), ISO 8601 such as 2024-05-01T12:00:00+02:00, or epoch milliseconds.");
    }
}
