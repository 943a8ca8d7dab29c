using System.CommandLine;
using System.Globalization;
using TableStore.Core;
using TableStore.Core.Maintenance;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Cli.Commands;

/// <summary>
/// Table housekeeping: <c>compact</c>, <c>expire</c> and <c>orphans clean</c>. Each runs as a job of its own, in this
/// process (embedded) or on a silo (<c>--cluster</c>), and is safe to run while others write.
/// </summary>
internal static class MaintenanceCommands
{
    public static Command Compact(CliContext context)
    {
        var table = CommonOptions.TableArgument();
        var partition = new Option<string?>("--partition") { Description = "Only this partition: column=value[,column=value]", HelpName = "k=v" };
        var full = new Option<bool>("--full") { Description = "Rewrite each bucket into one sorted run, dropping deleted rows (default: what the compaction triggers pick)" };
        var command = new Command("compact", "Compact a table's data files (a COMPACT snapshot; readers see the same rows)") { table, partition, full };
        command.SetAction(async (pr, ct) =>
        {
            var id = Identifier.Parse(pr.GetValue(table));
            var err = pr.Err();
            await using var service = await context.OpenAsync(pr, ct).ConfigureAwait(false);
            var progress = context.ShowProgress ? new Progress(err) : null;
            var outcome = await service.CompactAsync(id, pr.GetValue(full), PartitionSpec.ParseAssignments(pr.GetValue(partition)), progress, ct).ConfigureAwait(false);
            progress?.Done();
            var o = pr.Out();
            if (outcome.SnapshotId is null)
            {
                o.WriteLine($"Nothing to compact in {id.FullName}{(pr.GetValue(full) ? "" : " (no bucket reached a compaction trigger; --full rewrites every bucket)")}.");
                return 0;
            }
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Compacted {outcome.Buckets} bucket{Plural(outcome.Buckets)} of {id.FullName} in snapshot {outcome.SnapshotId}: {outcome.FilesBefore} files ({Size(outcome.BytesRead)}, {outcome.RowsRead:N0} rows) into {outcome.FilesAfter} ({Size(outcome.BytesWritten)}, {outcome.RowsWritten:N0} rows)."));
            return 0;
        });
        return command;
    }

    public static Command Expire(CliContext context)
    {
        var table = CommonOptions.TableArgument();
        var retainLast = CommonOptions.WholeNumber<int>("--retain-last", "Keep the latest N snapshots", "N");
        retainLast.Required = true;
        var olderThan = new Option<string?>("--older-than") { Description = "Also keep every snapshot younger than this (e.g. 30min, 12h, 7d)", HelpName = "DURATION" };
        var command = new Command("expire", "Remove old snapshots and the files only they use (tags and consumers keep theirs)") { table, retainLast, olderThan };
        command.SetAction(async (pr, ct) =>
        {
            var id = Identifier.Parse(pr.GetValue(table));
            var age = pr.GetValue(olderThan) is { } text ? Duration("--older-than", text) : (TimeSpan?)null;
            await using var service = await context.OpenAsync(pr, ct).ConfigureAwait(false);
            var outcome = await service.ExpireAsync(id, new ExpireOptions(pr.GetValue(retainLast)!.Value, age), ct).ConfigureAwait(false);
            var o = pr.Out();
            if (outcome.SnapshotsExpired == 0)
                o.WriteLine($"No snapshot of {id.FullName} expired{(outcome.EarliestRetained is { } e ? $"; the earliest is {e}" : "")}.");
            else
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Expired {outcome.SnapshotsExpired} snapshot{Plural(outcome.SnapshotsExpired)} of {id.FullName}; the earliest retained is {outcome.EarliestRetained}. Deleted {outcome.DataFilesDeleted} data file{Plural(outcome.DataFilesDeleted)} and {outcome.ManifestFilesDeleted} manifest file{Plural(outcome.ManifestFilesDeleted)}."));
            if (outcome.ProtectedByConsumers > 0)
                pr.Err().WriteLine($"note: {outcome.ProtectedByConsumers} more snapshot{Plural(outcome.ProtectedByConsumers)} kept because a consumer still needs them (tablestore consumer list).");
            return 0;
        });
        return command;
    }

    public static Command Orphans(CliContext context)
    {
        var table = CommonOptions.TableArgument();
        var olderThan = new Option<string?>("--older-than") { Description = "Only files older than this (default 1d): younger ones may belong to a commit in flight", HelpName = "DURATION" };
        var dryRun = new Option<bool>("--dry-run") { Description = "List the orphan files, delete nothing" };
        var clean = new Command("clean", "Remove (or list) files no snapshot or tag references: left by failed writes or crashes") { table, olderThan, dryRun };
        clean.SetAction(async (pr, ct) =>
        {
            var id = Identifier.Parse(pr.GetValue(table));
            var age = pr.GetValue(olderThan) is { } text ? Duration("--older-than", text) : OrphanCleanOptions.DefaultOlderThan;
            bool dry = pr.GetValue(dryRun);
            await using var service = await context.OpenAsync(pr, ct).ConfigureAwait(false);
            var outcome = await service.CleanOrphansAsync(id, new OrphanCleanOptions(age, dry), ct).ConfigureAwait(false);
            var o = pr.Out();
            foreach (var f in outcome.Orphans)
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{f.Path}\t{f.Size}\t{f.LastModified.UtcDateTime:yyyy-MM-dd HH:mm:ss}"));
            var summary = string.Create(CultureInfo.InvariantCulture, $"{outcome.Orphans.Count} orphan file{Plural(outcome.Orphans.Count)} ({Size(outcome.Bytes)})");
            pr.Err().WriteLine(dry ? $"{summary} would be removed from {id.FullName} (dry run)." : $"Removed {summary} from {id.FullName}.");
            if (outcome.YoungerSkipped > 0)
                pr.Err().WriteLine($"note: {outcome.YoungerSkipped} unreferenced file{Plural(outcome.YoungerSkipped)} younger than {pr.GetValue(olderThan) ?? "1d"} kept: a write may still commit them.");
            return 0;
        });
        return new Command("orphans", "Find and remove unreferenced files") { clean };
    }

    private static TimeSpan Duration(string option, string text)
    {
        try { return ConfigOption.ParseDuration(text); }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new InvalidInputException($"Invalid {option} '{text}': {e.Message}.");
        }
    }

    private static string Plural(long n) => n == 1 ? "" : "s";

    internal static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.#} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1073741824.0:0.##} GiB"),
    };

    /// <summary>One updating line on the terminal: buckets done and bytes rewritten.</summary>
    private sealed class Progress(TextWriter err) : IProgress<CompactProgress>
    {
        private bool _shown;

        public void Report(CompactProgress p)
        {
            lock (this)
            {
                err.Write(string.Create(CultureInfo.InvariantCulture, $"\rCompacting: {p.BucketsDone}/{p.BucketsTotal} buckets, {Size(p.BytesRead)} read, {Size(p.BytesWritten)} written…"));
                _shown = true;
            }
        }

        public void Done()
        {
            lock (this) if (_shown) err.WriteLine();
        }
    }
}
