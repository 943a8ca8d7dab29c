using System.Text.Json.Nodes;

namespace TableStore.Deploy.Tests.Support;

/// <summary>
/// A compiled ARM template read the way a reviewer reads it: every resource, including those inside the nested
/// deployments that Bicep modules compile to, with the module it came from.
/// </summary>
internal sealed class ArmTemplate(JsonObject root)
{
    public JsonObject Root { get; } = root;

    public sealed record Resource(string Module, JsonObject Json)
    {
        public string Type => (string)Json["type"]!;
        public JsonNode? this[string path] => Json.Select(path);
    }

    public IEnumerable<Resource> Resources => Walk("main", Root);

    public IEnumerable<Resource> OfType(string type) => Resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    public Resource Single(string type)
    {
        var found = OfType(type).ToList();
        Assert.True(found.Count == 1, $"expected one {type}, found {found.Count}");
        return found[0];
    }

    /// <summary>The template of the module deployed under <paramref name="name"/>.</summary>
    public JsonObject Module(string name) =>
        (JsonObject)Resources.Single(r => r.Type == "Microsoft.Resources/deployments" && (string?)r.Json["name"] == name).Json.Select("properties.template")!;

    private static IEnumerable<Resource> Walk(string module, JsonObject template)
    {
        foreach (var node in template["resources"]!.AsArray())
        {
            var resource = node!.AsObject();
            yield return new Resource(module, resource);
            if ((string?)resource["type"] == "Microsoft.Resources/deployments" && resource.Select("properties.template") is JsonObject inner)
                foreach (var r in Walk((string)resource["name"]!, inner)) yield return r;
        }
    }
}

internal static class JsonPath
{
    /// <summary>Follows a dotted path of property names (no indexes): <c>properties.configuration.ingress</c>.</summary>
    public static JsonNode? Select(this JsonNode node, string path)
    {
        JsonNode? current = node;
        foreach (var part in path.Split('.'))
            current = current is JsonObject o && o.TryGetPropertyValue(part, out var next) ? next : null;
        return current;
    }
}
