using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using TableStore.Core.Schema;

namespace TableStore.Core.Utils;

/// <summary>
/// Picks a row's bucket: XxHash32 of a canonical binary encoding of the bucket-key values, modulo the bucket
/// count. Stable across processes, machines and .NET versions (never <c>GetHashCode</c>): the bucket of a key
/// is part of the on-disk format.
/// </summary>
public sealed class BucketHasher(TableSchema schema)
{
    private readonly int[] _indices = [.. schema.BucketKeyIndices];
    private readonly int _buckets = schema.BucketCount;
    private readonly DataTypeKind[] _kinds = schema.Fields.Select(f => f.Type.Kind).ToArray();
    private readonly int[] _scales = schema.Fields.Select(f => f.Type.Scale).ToArray();

    public int Bucket(object?[] row)
    {
        if (_buckets == 1) return 0;
        var hash = new XxHash32();
        Span<byte> buf = stackalloc byte[16];
        Span<int> bits = stackalloc int[4];
        foreach (var i in _indices)
        {
            switch (row[i])
            {
                case null: buf[0] = 0xFF; hash.Append(buf[..1]); break;
                case bool b: buf[0] = b ? (byte)1 : (byte)0; hash.Append(buf[..1]); break;
                case int v: BinaryPrimitives.WriteInt32LittleEndian(buf, v); hash.Append(buf[..4]); break;
                case long v: BinaryPrimitives.WriteInt64LittleEndian(buf, v); hash.Append(buf[..8]); break;
                case float v: BinaryPrimitives.WriteSingleLittleEndian(buf, v == 0 ? 0f : v); hash.Append(buf[..4]); break;
                case double v: BinaryPrimitives.WriteDoubleLittleEndian(buf, v == 0 ? 0d : v); hash.Append(buf[..8]); break;
                case decimal m:
                    // 1.5 and 1.50 are the same key: hash the unscaled integer at the column's scale.
                    var unscaled = decimal.Truncate(m * Pow10(_scales[i]));
                    decimal.GetBits(unscaled, bits);
                    for (int k = 0; k < 4; k++) BinaryPrimitives.WriteInt32LittleEndian(buf[(k * 4)..], bits[k]);
                    hash.Append(buf);
                    break;
                case string s:
                    BinaryPrimitives.WriteInt32LittleEndian(buf, s.Length);
                    hash.Append(buf[..4]);
                    hash.Append(Encoding.UTF8.GetBytes(s));
                    break;
                case byte[] bytes:
                    BinaryPrimitives.WriteInt32LittleEndian(buf, bytes.Length);
                    hash.Append(buf[..4]);
                    hash.Append(bytes);
                    break;
                case DateOnly d: BinaryPrimitives.WriteInt32LittleEndian(buf, d.DayNumber); hash.Append(buf[..4]); break;
                case DateTime t: BinaryPrimitives.WriteInt64LittleEndian(buf, t.Ticks); hash.Append(buf[..8]); break;
                default: throw new InvalidOperationException($"Cannot hash a {row[i]!.GetType().Name} for column kind {_kinds[i]}.");
            }
        }
        return (int)(hash.GetCurrentHashAsUInt32() % (uint)_buckets);
    }

    private static decimal Pow10(int n)
    {
        decimal r = 1;
        for (int i = 0; i < n; i++) r *= 10;
        return r;
    }
}
