using TableStore.Core.Data;

namespace TableStore.Core.MergeTree;

/// <summary>Column values compared as values (1.5m equals 1.50m; byte arrays by content).</summary>
internal sealed class ValueEquality : IEqualityComparer<object?>
{
    public static readonly ValueEquality Instance = new();
    public new bool Equals(object? a, object? b) => Values.ValueEquals(a, b);
    public int GetHashCode(object? o) => 0;
}
