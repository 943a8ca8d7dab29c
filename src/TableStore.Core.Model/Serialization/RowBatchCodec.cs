using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace TableStore.Core.Serialization;

/// <summary>
/// A compact binary form of a batch of changelog rows, for sending rows between processes (client → table grain →
/// bucket writer). Every value carries a one-byte type tag, so the receiver gets exactly the CLR values that were
/// sent and validates them itself; no type names, no reference tracking, no boxing while encoding.
/// Layout: <c>'R' 1 rowCount:int32</c>, then per row <c>kind:byte width:int32</c> and per value <c>tag [payload]</c>
/// (little-endian; strings and bytes as <c>length:int32</c> + UTF-8 / raw bytes).
/// </summary>
public static class RowBatchCodec
{
    private const byte Magic = (byte)'R', Version = 1;
    private const byte Null = 0, False = 1, True = 2, Int32 = 3, Int64 = 4, Single = 5, Double = 6, Decimal = 7,
        String = 8, Bytes = 9, Date = 10, DateTimeTag = 11, DateTimeOffsetTag = 12, Int16 = 13, UInt8 = 14, SInt8 = 15;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <param name="columnNames">For error messages only: names the column of a value that cannot be sent.</param>
    public static byte[] Encode(ReadOnlySpan<byte> kinds, IReadOnlyList<object?[]> rows, IReadOnlyList<string>? columnNames = null)
    {
        if (kinds.Length != rows.Count) throw new InvalidInputException($"{kinds.Length} row kinds for {rows.Count} rows.");
        var w = new ArrayBufferWriter<byte>(64 + rows.Count * 32);
        var head = w.GetSpan(6);
        head[0] = Magic;
        head[1] = Version;
        BinaryPrimitives.WriteInt32LittleEndian(head[2..], rows.Count);
        w.Advance(6);
        for (int r = 0; r < rows.Count; r++)
        {
            var row = rows[r] ?? throw new InvalidInputException($"Row {r + 1} is null.");
            var span = w.GetSpan(5);
            span[0] = kinds[r];
            BinaryPrimitives.WriteInt32LittleEndian(span[1..], row.Length);
            w.Advance(5);
            for (int c = 0; c < row.Length; c++)
            {
                try { Write(w, row[c]); }
                catch (Exception e) when (e is InvalidInputException or EncoderFallbackException)
                {
                    var column = columnNames is not null && c < columnNames.Count ? $"column '{columnNames[c]}'" : $"value {c + 1}";
                    throw new InvalidInputException($"Row {r + 1}, {column}: {(e is EncoderFallbackException ? "the string is not valid Unicode (an unpaired surrogate)." : e.Message)}");
                }
            }
        }
        return w.WrittenSpan.ToArray();
    }

    private static void Write(ArrayBufferWriter<byte> w, object? value)
    {
        Span<byte> s;
        switch (value)
        {
            case null: Tag(w, Null); return;
            case bool b: Tag(w, b ? True : False); return;
            case int i: s = Start(w, Int32, 4); BinaryPrimitives.WriteInt32LittleEndian(s, i); break;
            case long l: s = Start(w, Int64, 8); BinaryPrimitives.WriteInt64LittleEndian(s, l); break;
            case float f: s = Start(w, Single, 4); BinaryPrimitives.WriteSingleLittleEndian(s, f); break;
            case double d: s = Start(w, Double, 8); BinaryPrimitives.WriteDoubleLittleEndian(s, d); break;
            case decimal m:
                s = Start(w, Decimal, 16);
                Span<int> bits = stackalloc int[4];
                decimal.GetBits(m, bits);
                for (int k = 0; k < 4; k++) BinaryPrimitives.WriteInt32LittleEndian(s[(k * 4)..], bits[k]);
                break;
            case string str:
            {
                var span = w.GetSpan(5 + StrictUtf8.GetMaxByteCount(str.Length));
                span[0] = String;
                int n = StrictUtf8.GetBytes(str, span[5..]);
                BinaryPrimitives.WriteInt32LittleEndian(span[1..], n);
                w.Advance(5 + n);
                return;
            }
            case byte[] bytes:
            {
                var span = w.GetSpan(5 + bytes.Length);
                span[0] = Bytes;
                BinaryPrimitives.WriteInt32LittleEndian(span[1..], bytes.Length);
                bytes.CopyTo(span[5..]);
                w.Advance(5 + bytes.Length);
                return;
            }
            case DateOnly date: s = Start(w, Date, 4); BinaryPrimitives.WriteInt32LittleEndian(s, date.DayNumber); break;
            case DateTime t: s = Start(w, DateTimeTag, 9); BinaryPrimitives.WriteInt64LittleEndian(s, t.Ticks); s[8] = (byte)t.Kind; break;
            case DateTimeOffset o:
                s = Start(w, DateTimeOffsetTag, 10);
                BinaryPrimitives.WriteInt64LittleEndian(s, o.Ticks);
                BinaryPrimitives.WriteInt16LittleEndian(s[8..], (short)o.Offset.TotalMinutes);
                break;
            case short sh: s = Start(w, Int16, 2); BinaryPrimitives.WriteInt16LittleEndian(s, sh); break;
            case byte u8: s = Start(w, UInt8, 1); s[0] = u8; break;
            case sbyte i8: s = Start(w, SInt8, 1); s[0] = (byte)i8; break;
            default:
                throw new InvalidInputException($"a value of type {value.GetType().Name} cannot be written; use bool, int, long, float, double, decimal, string, byte[], DateOnly, DateTime or DateTimeOffset.");
        }
        w.Advance(1 + s.Length);
    }

    private static void Tag(ArrayBufferWriter<byte> w, byte tag)
    {
        w.GetSpan(1)[0] = tag;
        w.Advance(1);
    }

    /// <summary>Writes the tag and returns the payload's span; the caller advances by 1 + size once it is filled.</summary>
    private static Span<byte> Start(ArrayBufferWriter<byte> w, byte tag, int size)
    {
        var span = w.GetSpan(1 + size);
        span[0] = tag;
        return span.Slice(1, size);
    }

    public static (byte[] Kinds, object?[][] Rows) Decode(ReadOnlySpan<byte> data)
    {
        try
        {
            if (data.Length >= 2 && data[0] == Magic && data[1] != Version)
                throw new InvalidInputException($"The row batch is in format version {data[1]}; this side reads version {Version} only: the client and the silo run different TableStore versions. Use a client of the silos' version.");
            if (data.Length < 6 || data[0] != Magic)
                throw new InvalidInputException("The row batch is malformed (unknown header).");
            int count = BinaryPrimitives.ReadInt32LittleEndian(data[2..]);
            if (count < 0 || count > data.Length) throw new InvalidInputException($"The row batch is malformed (row count {count}).");
            var kinds = new byte[count];
            var rows = new object?[count][];
            int p = 6;
            for (int r = 0; r < count; r++)
            {
                kinds[r] = data[p];
                int width = BinaryPrimitives.ReadInt32LittleEndian(data[(p + 1)..]);
                p += 5;
                if (width < 0 || width > data.Length - p) throw new InvalidInputException($"The row batch is malformed (row {r + 1} has width {width}).");
                var row = rows[r] = new object?[width];
                for (int c = 0; c < width; c++) row[c] = Read(data, ref p);
            }
            if (p != data.Length) throw new InvalidInputException("The row batch is malformed (trailing bytes).");
            return (kinds, rows);
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException)
        {
            // Out-of-range reads (truncated input) and invalid dates, kinds or offsets.
            throw new InvalidInputException("The row batch is malformed (truncated or invalid values).");
        }
    }

    private static object? Read(ReadOnlySpan<byte> d, ref int p)
    {
        byte tag = d[p++];
        switch (tag)
        {
            case Null: return null;
            case False: return false;
            case True: return true;
            case Int32: p += 4; return BinaryPrimitives.ReadInt32LittleEndian(d[(p - 4)..]);
            case Int64: p += 8; return BinaryPrimitives.ReadInt64LittleEndian(d[(p - 8)..]);
            case Single: p += 4; return BinaryPrimitives.ReadSingleLittleEndian(d[(p - 4)..]);
            case Double: p += 8; return BinaryPrimitives.ReadDoubleLittleEndian(d[(p - 8)..]);
            case Decimal:
            {
                Span<int> bits = stackalloc int[4];
                for (int k = 0; k < 4; k++) bits[k] = BinaryPrimitives.ReadInt32LittleEndian(d[(p + k * 4)..]);
                p += 16;
                return new decimal(bits);
            }
            case String:
            {
                int n = BinaryPrimitives.ReadInt32LittleEndian(d[p..]);
                p += 4 + n;
                return Encoding.UTF8.GetString(d.Slice(p - n, n));
            }
            case Bytes:
            {
                int n = BinaryPrimitives.ReadInt32LittleEndian(d[p..]);
                p += 4 + n;
                return d.Slice(p - n, n).ToArray();
            }
            case Date: p += 4; return DateOnly.FromDayNumber(BinaryPrimitives.ReadInt32LittleEndian(d[(p - 4)..]));
            case DateTimeTag: p += 9; return new DateTime(BinaryPrimitives.ReadInt64LittleEndian(d[(p - 9)..]), (DateTimeKind)d[p - 1]);
            case DateTimeOffsetTag:
                p += 10;
                return new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(d[(p - 10)..]), TimeSpan.FromMinutes(BinaryPrimitives.ReadInt16LittleEndian(d[(p - 2)..])));
            case Int16: p += 2; return BinaryPrimitives.ReadInt16LittleEndian(d[(p - 2)..]);
            case UInt8: return d[p++];
            case SInt8: return (sbyte)d[p++];
            default: throw new InvalidInputException($"The row batch is malformed (unknown value tag {tag}).");
        }
    }
}
