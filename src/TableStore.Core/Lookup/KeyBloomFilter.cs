using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace TableStore.Core.Lookup;

/// <summary>
/// A bloom filter over one data file's primary keys (10 bits per key, 7 probes: about 1% false positives). It is
/// tiny next to the decoded file, so it stays cached after the file is evicted, and a cold file that cannot hold
/// the key is skipped without any I/O.
/// </summary>
public sealed class KeyBloomFilter
{
    private const int BitsPerKey = 10;
    private const int Probes = 7;
    private readonly ulong[] _bits;
    private readonly ulong _bitCount;

    public KeyBloomFilter(int keys)
    {
        _bitCount = (ulong)Math.Max(64, (long)keys * BitsPerKey);
        _bits = new ulong[(_bitCount + 63) / 64];
    }

    public long SizeBytes => _bits.Length * 8L;

    public void Add(ulong hash)
    {
        uint h1 = (uint)hash, h2 = (uint)(hash >> 32);
        for (uint i = 0; i < Probes; i++)
        {
            ulong bit = (h1 + i * (ulong)h2) % _bitCount;
            _bits[bit >> 6] |= 1UL << (int)(bit & 63);
        }
    }

    public bool MayContain(ulong hash)
    {
        uint h1 = (uint)hash, h2 = (uint)(hash >> 32);
        for (uint i = 0; i < Probes; i++)
        {
            ulong bit = (h1 + i * (ulong)h2) % _bitCount;
            if ((_bits[bit >> 6] & (1UL << (int)(bit & 63))) == 0) return false;
        }
        return true;
    }

    /// <summary>
    /// A stable 64-bit hash of key values (XxHash64 of a canonical encoding). Equal keys hash alike whatever their
    /// boxing: decimals are normalised (1.50 and 1.5 are one key), and it never depends on <c>GetHashCode</c>.
    /// </summary>
    public static ulong Hash(ReadOnlySpan<object?> key)
    {
        var hash = new XxHash64();
        Span<byte> buffer = stackalloc byte[16];
        foreach (var v in key)
        {
            switch (v)
            {
                case null: buffer[0] = 0xFF; hash.Append(buffer[..1]); break;
                case long l: BinaryPrimitives.WriteInt64LittleEndian(buffer, l); hash.Append(buffer[..8]); break;
                case int i: BinaryPrimitives.WriteInt64LittleEndian(buffer, i); hash.Append(buffer[..8]); break;
                case string s: Append(ref hash, s); break;
                case decimal m:
                    var bits = decimal.GetBits(m / 1.0000000000000000000000000000m);
                    for (int b = 0; b < 4; b++) BinaryPrimitives.WriteInt32LittleEndian(buffer[(b * 4)..], bits[b]);
                    hash.Append(buffer);
                    break;
                case DateOnly d: BinaryPrimitives.WriteInt32LittleEndian(buffer, d.DayNumber); hash.Append(buffer[..4]); break;
                case DateTime t: BinaryPrimitives.WriteInt64LittleEndian(buffer, t.Ticks); hash.Append(buffer[..8]); break;
                case bool b: buffer[0] = b ? (byte)1 : (byte)0; hash.Append(buffer[..1]); break;
                case byte[] bytes: hash.Append(bytes); break;
                case double dbl: BinaryPrimitives.WriteDoubleLittleEndian(buffer, dbl == 0 ? 0 : dbl); hash.Append(buffer[..8]); break;
                case float f: BinaryPrimitives.WriteDoubleLittleEndian(buffer, f == 0 ? 0 : f); hash.Append(buffer[..8]); break;
                default: Append(ref hash, Data.Values.Format(v)); break;
            }
            buffer[0] = 0x1F; // separator: ("ab","c") and ("a","bc") differ
            hash.Append(buffer[..1]);
        }
        return hash.GetCurrentHashAsUInt64();
    }

    private static void Append(ref XxHash64 hash, string s)
    {
        Span<byte> utf8 = s.Length <= 128 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(s.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(s.Length)];
        hash.Append(utf8[..Encoding.UTF8.GetBytes(s, utf8)]);
    }
}
