using System.Text.Json;
using System.Text.Json.Serialization;

namespace TableStore.Core.Serialization;

internal static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
    };

    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };

    public static byte[] Serialize<T>(T value, bool indented = false) =>
        JsonSerializer.SerializeToUtf8Bytes(value, indented ? Indented : Options);

    public static T Deserialize<T>(byte[] bytes, string path)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(bytes, Options)
                ?? throw new CorruptFileException($"File '{path}' is empty JSON (null).");
        }
        catch (JsonException e)
        {
            throw new CorruptFileException($"File '{path}' is not valid {typeof(T).Name.Replace("Json", "")} JSON: {e.Message}", e);
        }
    }
}
