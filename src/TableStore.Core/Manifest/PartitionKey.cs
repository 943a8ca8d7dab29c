namespace TableStore.Core.Manifest;

/// <summary>A partition's values with value equality, usable as a dictionary key.</summary>
public readonly struct PartitionKey : IEquatable<PartitionKey>
{
    public static readonly PartitionKey Empty = new([]);
    public object?[] Values { get; }

    private PartitionKey(object?[] values) => Values = values;

    public static PartitionKey Of(object?[] values) => new(values);

    public bool Equals(PartitionKey other)
    {
        var a = Values ?? []; var b = other.Values ?? [];
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++)
            if (!Data.Values.ValueEquals(a[i], b[i])) return false;
        return true;
    }

    public override bool Equals(object? obj) => obj is PartitionKey p && Equals(p);

    public static bool operator ==(PartitionKey left, PartitionKey right) => left.Equals(right);

    public static bool operator !=(PartitionKey left, PartitionKey right) => !left.Equals(right);

    public override int GetHashCode()
    {
        var h = new HashCode();
        // Value hashes, consistent with the value equality above (1.5m and 1.50m hash alike).
        foreach (var v in Values ?? []) h.Add(v is byte[] b ? Convert.ToBase64String(b) : v);
        return h.ToHashCode();
    }

    public override string ToString() => string.Join(",", (Values ?? []).Select(Data.Values.Format));
}
