using System.Text;
using TableStore.Core.Data;
using TableStore.Core.Ingest;
using TableStore.Core.Schema;
using TableStore.Core.Table;

namespace TableStore.Core.Tests;

/// <summary>Change events as Debezium and JSON Lines producers write them, turned into rows or refused with a reason.</summary>
public sealed class ChangeMessageDecoderTests
{
    private static readonly TableSchema Keyed = Schema("id BIGINT NOT NULL, name STRING NOT NULL, amount DECIMAL(10,2), day DATE, ts TIMESTAMP", ["id"]);
    private static readonly TableSchema AppendOnly = Schema("id BIGINT, name STRING", []);

    private static TableSchema Schema(string columns, string[] keys) =>
        new(0, SchemaParser.ParseColumns(columns), keys, null, 1);

    private static List<ChangeRow> Decode(string format, TableSchema schema, string? json)
    {
        var rows = new List<ChangeRow>();
        Assert.True(ChangeMessageDecoder.Create(format, schema).Decode(json is null ? [] : Encoding.UTF8.GetBytes(json), rows));
        return rows;
    }

    private static string Show(IEnumerable<ChangeRow> rows) =>
        string.Join(" | ", rows.Select(r => r.Kind.ToShortString() + " " + string.Join(",", r.Values.Select(Values.Format))));

    [Fact]
    public void Debezium_events_without_the_schema_wrapper_map_ops_to_row_kinds()
    {
        Assert.Equal("+I 1,a,1.50,2024-05-01,2024-05-01 00:00:01", Show(Decode("debezium-json", Keyed,
            """{"before":null,"after":{"id":1,"name":"a","amount":"1.50","day":19844,"ts":1714521601000},"op":"c","ts_ms":1}""")));
        Assert.Equal("+I 2,b,,,", Show(Decode("debezium-json", Keyed, """{"after":{"id":2,"name":"b"},"op":"r"}""")));
        // An update in place: +U alone. One that moves the key: the old key is deleted first.
        Assert.Equal("+U 1,a2,,,", Show(Decode("debezium-json", Keyed, """{"before":{"id":1,"name":"a"},"after":{"id":1,"name":"a2"},"op":"u"}""")));
        Assert.Equal("-D 1,a,,, | +U 7,a,,,", Show(Decode("debezium-json", Keyed, """{"before":{"id":1,"name":"a"},"after":{"id":7,"name":"a"},"op":"u"}""")));
        Assert.Equal("+U 3,c,,,", Show(Decode("debezium-json", Keyed, """{"before":null,"after":{"id":3,"name":"c"},"op":"u"}""")));
        // A delete whose before image holds only the key (PostgreSQL's default replica identity).
        Assert.Equal("-D 1,,,,", Show(Decode("debezium-json", Keyed, """{"before":{"id":1},"after":null,"op":"d"}""")));
    }

    [Fact]
    public void Debezium_events_with_the_schema_wrapper_read_connect_logical_types()
    {
        const string json = """
            {"schema":{"type":"struct","fields":[
               {"type":"struct","optional":true,"field":"before","fields":[]},
               {"type":"struct","optional":true,"field":"after","fields":[
                 {"type":"int64","optional":false,"field":"id"},
                 {"type":"string","optional":false,"field":"name"},
                 {"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"2","connect.decimal.precision":"10"},"field":"amount"},
                 {"type":"int32","optional":true,"name":"io.debezium.time.Date","field":"day"},
                 {"type":"int64","optional":true,"name":"io.debezium.time.MicroTimestamp","field":"ts"}]},
               {"type":"string","optional":false,"field":"op"}]},
             "payload":{"before":null,"after":{"id":5,"name":"e","amount":"/4U=","day":19845,"ts":1714521601123000},"op":"c"}}
            """;
        // 0xFF85 = -123 unscaled, scale 2.
        Assert.Equal("+I 5,e,-1.23,2024-05-02,2024-05-01 00:00:01.123", Show(Decode("debezium-json", Keyed, json)));
    }

    [Fact]
    public void A_decimal_with_a_negative_scale_multiplies_by_a_power_of_ten()
    {
        const string json = """
            {"schema":{"type":"struct","fields":[{"type":"struct","field":"after","fields":[
                {"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"-2"},"field":"amount"}]}]},
             "payload":{"after":{"id":1,"name":"a","amount":"BQ=="},"op":"c"}}
            """;
        Assert.Equal("+I 1,a,500.00,,", Show(Decode("debezium-json", Keyed, json)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("null")]
    [InlineData("""{"schema":{"type":"struct"},"payload":null}""")]
    public void Tombstones_give_no_rows(string? json)
    {
        var rows = new List<ChangeRow>();
        Assert.False(ChangeMessageDecoder.Create("debezium-json", Keyed).Decode(json is null ? [] : Encoding.UTF8.GetBytes(json), rows));
        Assert.Empty(rows);
    }

    [Theory]
    [InlineData("""{"after":{"id":1,"name":"a"},"op":"t"}""", "truncate event (op \"t\") is not ingested")]
    [InlineData("""{"after":{"id":1,"name":"a"},"op":"x"}""", "unknown Debezium op \"x\"")]
    [InlineData("""{"after":{"id":1,"name":"a"}}""", "no \"op\" field")]
    [InlineData("""{"after":null,"op":"c"}""", "no \"after\" row image (it is null)")]
    [InlineData("""{"before":null,"op":"d"}""", "no \"before\" row image")]
    [InlineData("""{"after":{"id":1,"name":"a","color":"red"},"op":"c"}""", "\"after\": unknown column 'color'")]
    [InlineData("""{"after":{"id":"one","name":"a"},"op":"c"}""", "\"after\", field id: 'one' is not a valid BIGINT")]
    [InlineData("""{"after":{"id":null,"name":"a"},"op":"c"}""", "\"after\": Column 'id' is a primary-key column and cannot be null.")]
    [InlineData("""{"after":{"id":1},"op":"c"}""", "Column 'name' is NOT NULL")]
    [InlineData("""{"after":{"id":1,"name":"a"},"op":"c" """, "malformed JSON at line 1")]
    [InlineData("[1,2]", "expected a Debezium change event (a JSON object), found array")]
    [InlineData("""{"schema":{"type":"struct","fields":[{"field":5}]},"payload":{"after":{"id":1,"name":"a"},"op":"c"}}""", "unreadable event:")]
    public void Malformed_or_refused_events_say_why_and_give_nothing(string json, string reason)
    {
        var rows = new List<ChangeRow> { new(RowKind.Insert, [9L, "kept", null, null, null]) };
        var e = Assert.Throws<InvalidInputException>(() => ChangeMessageDecoder.Create("debezium-json", Keyed).Decode(Encoding.UTF8.GetBytes(json), rows));
        Assert.Contains(reason, e.Message);
        Assert.Single(rows);
    }

    [Fact]
    public void An_append_only_table_takes_creates_and_refuses_updates_and_deletes()
    {
        Assert.Equal("+I 1,a", Show(Decode("debezium-json", AppendOnly, """{"after":{"id":1,"name":"a"},"op":"c"}""")));
        var e = Assert.Throws<InvalidInputException>(() => Decode("debezium-json", AppendOnly, """{"before":{"id":1},"op":"d"}"""));
        Assert.Contains("needs a primary key", e.Message);
    }

    [Fact]
    public void Json_lines_messages_are_one_object_with_an_optional_op()
    {
        Assert.Equal("+I 1,a,,,", Show(Decode("jsonl", Keyed, """{"id":1,"name":"a"}""")));
        Assert.Equal("-D 1,,,,", Show(Decode("jsonl", Keyed, """{"_op":"-D","id":1}""")));
        Assert.Contains("invalid row kind \"?\"", Assert.Throws<InvalidInputException>(() => Decode("jsonl", Keyed, """{"_op":"?","id":1}""")).Message);
        Assert.Contains("expected a JSON object, found number", Assert.Throws<InvalidInputException>(() => Decode("jsonl", Keyed, "42")).Message);
        Assert.Contains("Unknown change message format 'avro'", Assert.Throws<InvalidInputException>(() => ChangeMessageDecoder.Create("avro", Keyed)).Message);
    }
}
