using System.Collections.Concurrent;
using System.Globalization;
using TableStore.Core.IO;
using TableStore.Core.Manifest;
using TableStore.Core.Scan;
using TableStore.Core.Schema;
using TableStore.Core.Table;
using TableStore.Tests.Shared;

namespace TableStore.Core.Tests.Support;

/// <summary>
/// Writers in separate processes (the <c>tablestore</c> CLI, as users script it) race to commit to one table on a
/// cloud store. Nothing serialises them but the conditional create of <c>snapshot-N</c>: every write must land
/// exactly once, and a rerun of a committed write must find it instead of committing it again.
/// </summary>
public abstract class RacingProcessesTests
{
    /// <summary>A warehouse URI on a fresh container or bucket.</summary>
    protected abstract string NewWarehouse();

    /// <summary>The store at <paramref name="uri"/>, for this process.</summary>
    protected abstract IObjectStore Open(string uri);

    /// <summary>What the CLI processes need in their environment to reach the server (endpoint, credentials).</summary>
    protected abstract IReadOnlyDictionary<string, string?> Environment { get; }

    [Fact]
    public async Task Writers_in_separate_processes_each_commit_exactly_once()
    {
        const int writers = 4, rounds = 3;
        var uri = NewWarehouse();
        var id = Identifier.Parse("db.race");
        await new Catalog(Open(uri)).CreateTableAsync(id, TestTables.Orders(2, new Dictionary<string, string> { [CoreOptions.WriteOnlyKey] = "true" }));
        var env = new Dictionary<string, string?>(Environment) { ["TABLESTORE_WAREHOUSE"] = null };
        static string Csv(int writer, int round) => $"id,customer,amount,note\n{writer * 100 + round},w{writer},{round}.25,\n";
        async Task<long> WriteAsync(int writer, int round)
        {
            var (code, stdout, stderr) = await BuiltPrograms.RunCliAsync(Csv(writer, round),
                ["--warehouse", uri, "write", "db.race", "--commit-user", $"writer-{writer}", "--commit-id", round.ToString(CultureInfo.InvariantCulture)], env);
            Assert.True(code == 0, $"writer {writer} round {round} exited {code}: {stderr}");
            return long.Parse(stdout.Trim(), CultureInfo.InvariantCulture);
        }

        var committed = new ConcurrentDictionary<(int, int), long>();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async w =>
        {
            for (int round = 1; round <= rounds; round++) committed[(w, round)] = await WriteAsync(w, round);
        }));
        Assert.Equal(Enumerable.Range(1, writers * rounds).Select(i => (long)i), committed.Values.Order());

        // A rerun of a committed write (its process died before printing, say) finds its snapshot.
        Assert.Equal(committed[(2, 2)], await WriteAsync(2, 2));

        var table = await new Catalog(Open(uri)).GetTableAsync(id);
        var snapshots = await table.Snapshots.ListAsync();
        Assert.Equal(writers * rounds, snapshots.Count);
        Assert.All(snapshots, s => Assert.Equal(CommitKind.Append, s.CommitKind));
        Assert.Equal(committed.Keys.Select(k => $"writer-{k.Item1}/{k.Item2}").Order(), snapshots.Select(s => $"{s.CommitUser}/{s.CommitIdentifier}").Order());
        var rows = await (await table.ScanAsync(new ScanOptions())).ToListAsync();
        Assert.Equal(committed.Keys.Select(k => (long)(k.Item1 * 100 + k.Item2)).Order(), rows.Select(r => (long)r[0]!).Order());
    }
}
