using System.Globalization;
using TableStore.Core.Data;
using TableStore.Core.Format;
using TableStore.Core.Manifest;
using TableStore.Core.Schema;

namespace TableStore.Core.Table;

/// <summary>
/// Splits one write's rows (kinds and values as a client sent them) by partition and bucket with
/// <see cref="WriteRouter"/>, validating every row first: a bad row fails the whole write, naming the row, before
/// anything is handed on.
/// </summary>
public static class BucketGroups
{
    public static List<BucketGroup> Split(TableSchema schema, string table, byte[] kinds, object?[][] rows)
    {
        var router = new WriteRouter(schema);
        var estimator = new RowSizeEstimator(schema);
        var groups = new Dictionary<(PartitionKey, int), BucketGroup>();
        for (int i = 0; i < rows.Length; i++)
        {
            var row = Route(router, table, i, kinds[i], rows[i]);
            var location = row.Location; // a partition key per row: computed once
            if (!groups.TryGetValue(location, out var group)) groups[location] = group = new BucketGroup(row.Partition, row.Bucket);
            group.Kinds.Add(kinds[i]);
            group.Rows.Add(row.Values);
            group.Bytes += estimator.EstimateInMemory(row.Values);
        }
        return [.. groups.Values];
    }

    /// <summary>The rows as change rows, their kinds checked (values are validated by the write that takes them).</summary>
    public static List<ChangeRow> ToChangeRows(string table, byte[] kinds, object?[][] rows)
    {
        var changes = new List<ChangeRow>(rows.Length);
        for (int i = 0; i < rows.Length; i++) changes.Add(new ChangeRow(AtRow(table, i, () => Kind(kinds[i])), rows[i]));
        return changes;
    }

    private static RoutedRow Route(WriteRouter router, string table, int index, byte kind, object?[] values) =>
        AtRow(table, index, () => router.Route(Kind(kind), values));

    private static RowKind Kind(byte kind) => kind <= (byte)RowKind.Delete
        ? (RowKind)kind
        : throw new InvalidInputException(string.Create(CultureInfo.InvariantCulture, $"Invalid row kind {kind}: expected 0 (+I), 1 (-U), 2 (+U) or 3 (-D)."));

    /// <summary>Names the row in the error of a bad one.</summary>
    private static T AtRow<T>(string table, int index, Func<T> work)
    {
        try { return work(); }
        catch (InvalidInputException e)
        {
            throw new InvalidInputException(string.Create(CultureInfo.InvariantCulture, $"Row {index + 1} of the write to {table}: {e.Message} Nothing was written."));
        }
    }
}
