using TableStore.Abstractions;
using TableStore.Client;
using TableStore.Core.Data;
using TableStore.Core.Manifest;
using TableStore.Core.Streaming;

namespace TableStore.Service.Tests;

/// <summary>A snapshot's change event split to fit stream messages, and joined again by a subscriber.</summary>
public sealed class ChangeEventPartsTests
{
    private static ChangeEvent Event(long snapshot, int rows) => ChangeEvent.From("db.t", new ChangeBatch(snapshot, CommitKind.Append, 1_700_000_000_000,
        [.. Enumerable.Range(0, rows).Select(i => new ChangeRow(i % 3 == 0 ? RowKind.Delete : RowKind.Insert, [(long)i, $"value {i}", i % 5 == 0 ? null : i * 1.5]))]));

    [Theory]
    [InlineData(0, 64)]
    [InlineData(1, 64)]
    [InlineData(500, 64)]
    [InlineData(500, 1)]
    [InlineData(500, 1 << 20)]
    public void Parts_fit_the_limit_and_any_arrival_order_joins_to_the_same_rows(int rows, int maxBytes)
    {
        var whole = Event(7, rows);
        var parts = whole.Split(maxBytes);
        Assert.All(parts, p => Assert.True(p.Rows.Length <= maxBytes || parts.Count == 1));
        Assert.All(parts, p => Assert.Equal((7L, parts.Count), (p.SnapshotId, p.Parts)));

        var assembler = new ChangeEventAssembler();
        ChangeEvent? joined = null;
        foreach (var p in parts.Reverse()) joined = assembler.Add(p) ?? joined;
        Assert.NotNull(joined);
        Assert.Equal(whole.Rows, joined.Rows);
        Assert.Equal(whole.ToBatch().Rows.Select(r => (r.Kind, string.Join("|", r.Values))), joined.ToBatch().Rows.Select(r => (r.Kind, string.Join("|", r.Values))));
    }

    [Fact]
    public void A_snapshot_with_a_lost_part_is_never_delivered_from_the_parts_and_its_parts_are_dropped_once_passed()
    {
        var assembler = new ChangeEventAssembler();
        var parts = Event(3, 300).Split(100);
        Assert.True(parts.Count > 2);
        foreach (var p in parts.Skip(1)) Assert.Null(assembler.Add(p)); // part 0 lost
        assembler.DropBefore(4); // snapshot 3 came from the lake
        // A redelivery of the lost part alone (after a silo restart) completes nothing: the others were dropped.
        Assert.Null(assembler.Add(parts[0]));
        Assert.Throws<ArgumentException>(() => ChangeEvent.Join(parts.Skip(1).ToList()));
    }
}
