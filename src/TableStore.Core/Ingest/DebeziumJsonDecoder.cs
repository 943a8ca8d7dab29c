using System.Globalization;
using System.Numerics;
using System.Text.Json;
using TableStore.Core.Data;
using TableStore.Core.Schema;

namespace TableStore.Core.Ingest;

/// <summary>
/// Debezium's JSON change events, with the Kafka Connect schema wrapper (<c>{"schema": …, "payload": {…}}</c>) or
/// without it (<c>value.converter.schemas.enable=false</c>):
/// <list type="bullet">
/// <item><c>op</c> c (create) and r (snapshot read): +I of <c>after</c>;</item>
/// <item>u (update): +U of <c>after</c>, preceded by -D of <c>before</c> when the update changed the primary key;</item>
/// <item>d (delete): -D of <c>before</c>, which may hold only the key columns;</item>
/// <item>t (truncate): refused, as a malformed event: a truncate would have to replace the whole table, which an
/// ingestion of row changes must not do silently (replay it as <c>tablestore write --overwrite</c>);</item>
/// <item>a message without a value, or a <c>null</c> payload, is a tombstone: skipped.</item>
/// </list>
/// Columns are matched by name; a column of the event that the table lacks is an error. Connect's logical types are
/// read from the schema wrapper: dates (days), timestamps (milli-, micro-, nanoseconds), zoned timestamps and
/// decimals (base64 unscaled bytes with a scale). Without the wrapper a number in a DATE column is days since
/// 1970-01-01, in a TIMESTAMP column milliseconds since 1970-01-01 UTC, and decimals must arrive as strings or
/// numbers (<c>decimal.handling.mode=string|double</c>).
/// </summary>
internal sealed class DebeziumJsonDecoder(TableSchema schema) : ChangeMessageDecoder(schema)
{
    protected override bool DecodeDocument(JsonElement root, List<ChangeRow> rows)
    {
        if (root.ValueKind == JsonValueKind.Null) return false;
        if (root.ValueKind != JsonValueKind.Object)
            throw new InvalidInputException($"expected a Debezium change event (a JSON object), found {root.ValueKind.ToString().ToLowerInvariant()}.");
        var envelope = root;
        JsonElement connectSchema = default;
        if (!root.TryGetProperty("op", out _) && root.TryGetProperty("payload", out var payload))
        {
            if (payload.ValueKind == JsonValueKind.Null) return false;
            if (payload.ValueKind != JsonValueKind.Object)
                throw new InvalidInputException($"the schema wrapper's \"payload\" is a {payload.ValueKind.ToString().ToLowerInvariant()}, expected a change event object.");
            root.TryGetProperty("schema", out connectSchema);
            envelope = payload;
        }
        if (!envelope.TryGetProperty("op", out var opElement) || opElement.ValueKind != JsonValueKind.String)
            throw new InvalidInputException("not a Debezium change event: no \"op\" field (expected c, u, d, r or t).");
        var logicalTypes = LogicalTypes.Of(connectSchema);
        switch (opElement.GetString())
        {
            case "c" or "r":
                rows.Add(Row(RowKind.Insert, Image(envelope, "after", logicalTypes), "\"after\""));
                return true;
            case "u":
                var after = Image(envelope, "after", logicalTypes);
                if (envelope.TryGetProperty("before", out var b) && b.ValueKind == JsonValueKind.Object && Schema.KeyIndices.Length > 0)
                {
                    var before = Image(envelope, "before", logicalTypes);
                    // The key moved: the row under the old key is gone. Without a key change +U alone is the update.
                    if (!SameKey(before, after)) rows.Add(Row(RowKind.Delete, before, "\"before\""));
                }
                rows.Add(Row(RowKind.UpdateAfter, after, "\"after\""));
                return true;
            case "d":
                rows.Add(Row(RowKind.Delete, Image(envelope, "before", logicalTypes), "\"before\""));
                return true;
            case "t":
                throw new InvalidInputException("a truncate event (op \"t\") is not ingested: it would replace the whole table; empty the table with 'tablestore write --overwrite' if that is meant.");
            case var other:
                throw new InvalidInputException($"unknown Debezium op \"{other}\" (expected c, u, d, r or t).");
        }
    }

    private object?[] Image(JsonElement envelope, string name, LogicalTypes logicalTypes)
    {
        if (!envelope.TryGetProperty(name, out var image) || image.ValueKind != JsonValueKind.Object)
            throw new InvalidInputException($"the event has no \"{name}\" row image{(image.ValueKind == JsonValueKind.Null ? " (it is null)" : "")}.");
        return JsonRows.Read(image, Schema, $"\"{name}\"", out _, logicalTypes.Convert);
    }

    private bool SameKey(object?[] before, object?[] after)
    {
        foreach (int k in Schema.KeyIndices)
        {
            var (x, y) = (before[k], after[k]);
            if (x is byte[] bx && y is byte[] by ? !bx.AsSpan().SequenceEqual(by) : !Equals(x is null ? null : Values.Coerce(x, Schema.Fields[k].Type), y is null ? null : Values.Coerce(y, Schema.Fields[k].Type)))
                return false;
        }
        return true;
    }

    /// <summary>The Kafka Connect logical type of each field of the row images, from the schema wrapper.</summary>
    private sealed class LogicalTypes(Dictionary<string, (string Name, int Scale)> byField)
    {
        private static readonly LogicalTypes None = new([]);

        public static LogicalTypes Of(JsonElement connectSchema)
        {
            if (connectSchema.ValueKind != JsonValueKind.Object || !connectSchema.TryGetProperty("fields", out var envelopeFields) || envelopeFields.ValueKind != JsonValueKind.Array)
                return None;
            var byField = new Dictionary<string, (string, int)>(StringComparer.OrdinalIgnoreCase);
            foreach (var image in envelopeFields.EnumerateArray())
            {
                if (image.ValueKind != JsonValueKind.Object || !image.TryGetProperty("field", out var f) || f.GetString() is not ("after" or "before")) continue;
                if (!image.TryGetProperty("fields", out var fields) || fields.ValueKind != JsonValueKind.Array) continue;
                foreach (var field in fields.EnumerateArray())
                {
                    if (field.ValueKind != JsonValueKind.Object || !field.TryGetProperty("field", out var n) || n.ValueKind != JsonValueKind.String) continue;
                    if (!field.TryGetProperty("name", out var logical) || logical.ValueKind != JsonValueKind.String) continue;
                    int scale = field.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("scale", out var s)
                        && int.TryParse(s.ValueKind == JsonValueKind.String ? s.GetString() : s.GetRawText(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var sc) ? sc : 0;
                    byField[n.GetString()!] = (logical.GetString()!, scale);
                }
            }
            return new LogicalTypes(byField);
        }

        public object? Convert(JsonElement value, DataField field)
        {
            if (value.ValueKind == JsonValueKind.Null) return null;
            var (logical, scale) = byField.TryGetValue(field.Name, out var t) ? t : (null, 0);
            object? clr = (logical, value.ValueKind, field.Type.Kind) switch
            {
                ("io.debezium.time.Date" or "org.apache.kafka.connect.data.Date", JsonValueKind.Number, _) => Days(value),
                ("io.debezium.time.Timestamp" or "org.apache.kafka.connect.data.Timestamp", JsonValueKind.Number, _) => Since1970(value, TimeSpan.TicksPerMillisecond, 1),
                ("io.debezium.time.MicroTimestamp", JsonValueKind.Number, _) => Since1970(value, TimeSpan.TicksPerMicrosecond, 1),
                ("io.debezium.time.NanoTimestamp", JsonValueKind.Number, _) => Since1970(value, 1, 100),
                ("io.debezium.time.ZonedTimestamp", JsonValueKind.String, _) => Zoned(value),
                ("org.apache.kafka.connect.data.Decimal", JsonValueKind.String, _) => UnscaledDecimal(value.GetString()!, scale),
                ("io.debezium.data.VariableScaleDecimal", JsonValueKind.Object, _) => VariableScaleDecimal(value),
                (null, JsonValueKind.Number, DataTypeKind.Date) => Days(value),
                (null, JsonValueKind.Number, DataTypeKind.Timestamp) => Since1970(value, TimeSpan.TicksPerMillisecond, 1),
                (null, JsonValueKind.String, DataTypeKind.Timestamp) when value.GetString()!.Contains('T', StringComparison.Ordinal) => Zoned(value),
                _ => Values.FromJson(value, field.Type),
            };
            return clr is null ? null : Values.Coerce(clr, field.Type);
        }

        private static DateOnly Days(JsonElement value) =>
            value.TryGetInt32(out var days) && days is >= -719162 and <= 2932896
                ? DateOnly.FromDayNumber(719162 + days)
                : throw new InvalidInputException($"{value.GetRawText()} is not a number of days since 1970-01-01.");

        private static DateTime Since1970(JsonElement value, long ticksPerUnit, long unitsPerTick)
        {
            if (!value.TryGetInt64(out var units)) throw new InvalidInputException($"{value.GetRawText()} is not a whole number of time units since 1970.");
            try { return DateTime.UnixEpoch.AddTicks(checked(units * ticksPerUnit / unitsPerTick)); }
            catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
            {
                throw new InvalidInputException($"{units} is outside the range of a TIMESTAMP.");
            }
        }

        private static DateTime Zoned(JsonElement value) =>
            DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
                ? t.UtcDateTime
                : throw new InvalidInputException($"'{value.GetString()}' is not an ISO-8601 timestamp.");

        private static decimal VariableScaleDecimal(JsonElement value) =>
            value.TryGetProperty("scale", out var s) && s.TryGetInt32(out var scale) && value.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String
                ? UnscaledDecimal(v.GetString()!, scale)
                : throw new InvalidInputException($"{value.GetRawText()} is not a variable-scale decimal ({{\"scale\": N, \"value\": base64}}).");

        /// <summary>Connect's Decimal: the unscaled value's two's-complement big-endian bytes, in base64.</summary>
        private static decimal UnscaledDecimal(string base64, int scale)
        {
            byte[] bytes;
            try { bytes = System.Convert.FromBase64String(base64); }
            catch (FormatException) { throw new InvalidInputException($"'{base64}' is not a base64 decimal (Connect's Decimal encoding)."); }
            var unscaled = new BigInteger(bytes, isUnsigned: false, isBigEndian: true);
            var digits = BigInteger.Abs(unscaled).ToString(CultureInfo.InvariantCulture);
            // A negative scale (Oracle's NUMBER(p,-s)) multiplies by a power of ten.
            digits = scale >= 0 ? digits.PadLeft(scale + 1, '0') : digits + new string('0', Math.Min(-scale, 64));
            var text = (unscaled.Sign < 0 ? "-" : "") + (scale > 0 ? digits[..^scale] + "." + digits[^scale..] : digits);
            return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var m)
                ? m
                : throw new InvalidInputException($"{text} does not fit a DECIMAL.");
        }
    }
}
