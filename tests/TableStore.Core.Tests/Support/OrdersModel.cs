using TableStore.Core.Data;

namespace TableStore.Core.Tests.Support;

/// <summary>The simple model every engine test checks against: the latest row per key.</summary>
internal sealed class KeyedModel
{
    private readonly Dictionary<long, object?[]> _rows = [];

    public void Apply(ChangeRow row)
    {
        var key = (long)row.Values[0]!;
        if (row.Kind.IsRetract()) _rows.Remove(key);
        else _rows[key] = row.Values;
    }

    public IReadOnlyDictionary<long, object?[]> Rows => _rows;

    public Dictionary<long, object?[]> Copy() => _rows.ToDictionary(kv => kv.Key, kv => kv.Value);

    public static void AssertSame(IReadOnlyDictionary<long, object?[]> expected, IReadOnlyList<object?[]> actual, string context)
    {
        var keys = actual.Select(r => (long)r[0]!).ToList();
        Assert.True(keys.Count == keys.Distinct().Count(), $"{context}: duplicate keys in scan");
        Assert.True(expected.Count == actual.Count, $"{context}: expected {expected.Count} rows, scan returned {actual.Count}");
        foreach (var row in actual)
        {
            var key = (long)row[0]!;
            Assert.True(expected.TryGetValue(key, out var want), $"{context}: key {key} should not exist");
            for (int i = 0; i < want!.Length; i++)
                Assert.True(Values.ValueEquals(want[i], row[i]), $"{context}: key {key} column {i}: expected {Values.Format(want[i])}, got {Values.Format(row[i])}");
        }
    }
}
