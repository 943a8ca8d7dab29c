using System.Text.RegularExpressions;
using TableStore.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace TableStore.Deploy.Tests;

/// <summary>
/// azure.yaml as azd reads it (azd itself cannot be installed here): one service, the silo, built from its
/// Dockerfile and deployed to the container app that carries its name, infrastructure from bicep/.
/// </summary>
public sealed class AzureYamlTests
{
    private static YamlMappingNode Load()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Repository.PathOf("azure.yaml"));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents.Single().RootNode;
    }

    private static string Scalar(YamlNode node, params string[] path)
    {
        foreach (var key in path) node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        return ((YamlScalarNode)node).Value!;
    }

    [Fact]
    public void Infrastructure_comes_from_bicep_main()
    {
        var root = Load();
        Assert.Matches("^[a-z][a-z0-9-]*$", Scalar(root, "name"));
        Assert.Equal("bicep", Scalar(root, "infra", "provider"));
        var path = Scalar(root, "infra", "path");
        Assert.Equal("bicep", path);
        Assert.True(File.Exists(Repository.PathOf(Path.Combine(path, Scalar(root, "infra", "module") + ".bicep"))));
        Assert.True(File.Exists(Repository.PathOf(Path.Combine(path, Scalar(root, "infra", "module") + ".parameters.json"))));
    }

    [Fact]
    public async Task The_one_service_is_the_silo_on_container_apps_built_from_its_dockerfile()
    {
        var root = Load();
        var services = (YamlMappingNode)root.Children[new YamlScalarNode("services")];
        var (name, service) = Assert.Single(services.Children);
        Assert.Equal("silo", ((YamlScalarNode)name).Value);
        Assert.Equal("containerapp", Scalar(service, "host"));
        Assert.Equal("dotnet", Scalar(service, "language"));
        var project = Repository.PathOf(Scalar(service, "project"));
        Assert.True(File.Exists(Path.Combine(project, "TableStore.Server.csproj")), $"project {project} is not the server");
        // docker.path and docker.context are relative to the project folder; the context must be the repository root,
        // where the Dockerfile's COPY sources (Directory.*.props, src/) are.
        Assert.True(File.Exists(Path.Combine(project, Scalar(service, "docker", "path"))));
        Assert.Equal(Repository.Root.TrimEnd('/'), Path.GetFullPath(Path.Combine(project, Scalar(service, "docker", "context"))).TrimEnd('/'));

        // azd deploys to the resource tagged azd-service-name: <service name>.
        var template = new ArmTemplate(await BicepCli.MainTemplateAsync());
        var app = template.Single("Microsoft.App/containerApps");
        Assert.Equal("silo", Regex.Match((string)app.Json["tags"]!, @"'azd-service-name', '([^']+)'").Groups[1].Value);
        // ... and sets the image it built through SERVICE_SILO_IMAGE_NAME.
        Assert.Contains("${SERVICE_SILO_IMAGE_NAME}", await File.ReadAllTextAsync(Repository.PathOf("bicep/main.parameters.json")));
    }
}
