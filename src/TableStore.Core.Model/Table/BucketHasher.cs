using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using TableStore.Core.Schema;

namespace TableStore.Core.Table;

/// <summary>
/// Picks a row's bucket: XxHash32 of a canonical binary encoding of the bucket-key values, modulo the bucket
/// count. Stable across processes, machines and .NET versions (never <c>GetHashCode</c>): the bucket of a key
/// is part of the on-disk format.
/// </summary>
public sealed class BucketHasher(TableSchema schema, int? buckets = null)
{
    private readonly int[] _indices = [.. schema.BucketKeyIndices];
    private readonly int _buckets = buckets ?? schema.BucketCount;
    private readonly DataTypeKind[] _kinds = schema.Fields.Select(f => f.Type.Kind).ToArray();
    private readonly int[] _scales = schema.Fields.Select(f => f.Type.Scale).ToArray();

    [ThreadStatic] private static byte[]? t_buffer;

    public int Bucket(object?[] row)
    {
        if (_buckets == 1) return 0;
        // One reusable buffer per thread: hashing runs once per written row, so it must not allocate.
        var buffer = t_buffer ??= new byte[256];
        int n = 0;
        foreach (var i in _indices) n = Encode(row[i], i, ref buffer, n);
        t_buffer = buffer;
        return (int)(XxHash32.HashToUInt32(buffer.AsSpan(0, n)) % (uint)_buckets);
    }

    private int Encode(object? value, int field, ref byte[] buffer, int n)
    {
        int need = value switch { string s => 4 + Encoding.UTF8.GetMaxByteCount(s.Length), byte[] b => 4 + b.Length, _ => 16 };
        if (n + need > buffer.Length) Array.Resize(ref buffer, Math.Max(buffer.Length * 2, n + need));
        var span = buffer.AsSpan(n);
        switch (value)
        {
            case null: span[0] = 0xFF; return n + 1;
            case bool b: span[0] = b ? (byte)1 : (byte)0; return n + 1;
            case int v: BinaryPrimitives.WriteInt32LittleEndian(span, v); return n + 4;
            case long v: BinaryPrimitives.WriteInt64LittleEndian(span, v); return n + 8;
            case float v: BinaryPrimitives.WriteSingleLittleEndian(span, v == 0 ? 0f : v); return n + 4;
            case double v: BinaryPrimitives.WriteDoubleLittleEndian(span, v == 0 ? 0d : v); return n + 8;
            case decimal m:
                // 1.5 and 1.50 are the same key: hash the unscaled integer at the column's scale (values are
                // normalised on input, -0 included; Truncate of a product can still carry a sign on zero).
                if (m == 0m) m = 0m;
                Span<int> bits = stackalloc int[4];
                decimal.GetBits(decimal.Truncate(m * Pow10(_scales[field])), bits);
                for (int k = 0; k < 4; k++) BinaryPrimitives.WriteInt32LittleEndian(span[(k * 4)..], bits[k]);
                return n + 16;
            case string s:
                BinaryPrimitives.WriteInt32LittleEndian(span, s.Length);
                return n + 4 + Encoding.UTF8.GetBytes(s, span[4..]);
            case byte[] bytes:
                BinaryPrimitives.WriteInt32LittleEndian(span, bytes.Length);
                bytes.CopyTo(span[4..]);
                return n + 4 + bytes.Length;
            case DateOnly d: BinaryPrimitives.WriteInt32LittleEndian(span, d.DayNumber); return n + 4;
            case DateTime t: BinaryPrimitives.WriteInt64LittleEndian(span, t.Ticks); return n + 8;
            default: throw new InvalidOperationException($"Cannot hash a {value.GetType().Name} for column kind {_kinds[field]}.");
        }
    }

    private static decimal Pow10(int n)
    {
        decimal r = 1;
        for (int i = 0; i < n; i++) r *= 10;
        return r;
    }
}
