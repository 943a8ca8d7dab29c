using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using TableStore.Deploy.Tests.Support;
using TableStore.Grains;
using TableStore.Server;

namespace TableStore.Deploy.Tests;

/// <summary>
/// bicep/main.bicep as Azure would receive it: compiled and linted by the Bicep CLI with no warning, and the ARM
/// template holding what a TableStore cluster needs (docs/deploy.md describes each resource).
/// </summary>
public sealed class BicepTemplateTests
{
    private const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string EventHubsDataSender = "2b629674-e913-4c01-ae53-ef4638d8f975";
    private const string EventHubsDataReceiver = "a638d3c7-ab3a-418d-83e6-5f17a39d4fde";
    private const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";

    private static async Task<ArmTemplate> TemplateAsync() => new(await BicepCli.MainTemplateAsync());

    [Fact]
    public async Task Main_bicep_lints_clean()
    {
        var findings = await BicepCli.LintAsync("bicep/main.bicep");
        Assert.True(findings.Count == 0, "bicep lint:\n" + string.Join('\n', findings));
    }

    [Fact]
    public async Task It_deploys_at_subscription_scope_creates_the_resource_group_and_names_resources_with_uniqueString()
    {
        var t = await TemplateAsync();
        Assert.Contains("subscriptionDeploymentTemplate.json", (string)t.Root["$schema"]!);
        var rg = t.Single("Microsoft.Resources/resourceGroups");
        Assert.Equal("main", rg.Module);
        Assert.Contains("environmentName", (string)rg.Json["name"]!);
        var token = (string)t.Root.Select("variables.resourceToken")!;
        Assert.Contains("uniqueString(subscription().id, parameters('environmentName'), parameters('location'))", token);
        // Every module runs in that resource group.
        foreach (var module in t.OfType("Microsoft.Resources/deployments").Where(d => d.Module == "main"))
            Assert.Contains("rg-", (string)module.Json["resourceGroup"]!);
    }

    [Fact]
    public async Task Container_apps_environment_sends_its_logs_to_log_analytics()
    {
        var t = await TemplateAsync();
        var environment = t.Single("Microsoft.App/managedEnvironments");
        Assert.Equal("log-analytics", (string)environment["properties.appLogsConfiguration.destination"]!);
        Assert.NotNull(environment["properties.vnetConfiguration.infrastructureSubnetId"]);
        t.Single("Microsoft.OperationalInsights/workspaces");
        t.Single("Microsoft.Insights/components");
    }

    [Fact]
    public async Task The_silo_app_runs_at_least_two_replicas_on_a_dedicated_profile_with_internal_ports_probes_and_a_scale_rule()
    {
        var t = await TemplateAsync();
        var silo = t.Single("Microsoft.App/containerApps");
        var module = t.Module(silo.Module);
        Assert.Equal("silo", Regex.Match((string)silo.Json["tags"]!, @"'azd-service-name', '([^']+)'").Groups[1].Value);

        var minReplicas = module.Select("parameters.minReplicas")!;
        Assert.True((int)minReplicas["minValue"]! >= 2 && (int)minReplicas["defaultValue"]! >= 2);
        Assert.True((int)t.Root.Select("parameters.siloMinReplicas.minValue")! >= 2);
        Assert.Equal("[parameters('minReplicas')]", WithImage(module, silo["properties.template.scale.minReplicas"]!).ToString());
        Assert.NotEmpty(WithImage(module, silo["properties.template.scale.rules"]!).AsArray());

        var ingress = WithImage(module, silo["properties.configuration.ingress"]!);
        Assert.False((bool)ingress["external"]!);
        Assert.Equal("tcp", (string)ingress["transport"]!);
        var ports = new[] { ingress }.Concat(ingress["additionalPortMappings"]!.AsArray()).ToList();
        Assert.All(ports, p => Assert.False((bool)p!["external"]!));
        // The gateway and HTTP go through ingress; silo-to-silo traffic goes from replica to replica, not through it.
        var defaults = new ServerOptions();
        Assert.Equal(new[] { defaults.HttpPort, defaults.GatewayPort }.Order(), ports.Select(p => (int)Resolve(module, p!["targetPort"]!)).Order());

        var probes = WithImage(module, silo["properties.template.containers"]!.AsArray().Single()!["probes"]!).AsArray()
            .ToDictionary(p => (string)p!["type"]!, p => (Path: (string)p!["httpGet"]!["path"]!, Port: (int)Resolve(module, p["httpGet"]!["port"]!)));
        Assert.Equal(("/health/live", defaults.HttpPort), probes["Liveness"]);
        Assert.Equal(("/health/ready", defaults.HttpPort), probes["Readiness"]);
        Assert.Equal(("/health/live", defaults.HttpPort), probes["Startup"]);

        // A replica stopping commits what it accepted first: the grace period outlasts the silo's shutdown timeout (45 s).
        Assert.True((int)Resolve(module, silo["properties.template.terminationGracePeriodSeconds"]!) > 45);

        // Replica-to-replica TCP (Orleans) is reliable on a Dedicated profile, not on the Consumption one.
        var environment = t.Single("Microsoft.App/managedEnvironments");
        var profileName = (string)t.Module(environment.Module).Select("variables.siloProfileName")!;
        var siloDeployment = t.OfType("Microsoft.Resources/deployments").Single(d => (string?)d.Json["name"] == "silo");
        Assert.Contains("siloWorkloadProfileName", siloDeployment["properties.parameters.workloadProfileName.value"]!.ToString());
        var profiles = environment["properties.workloadProfiles"]!.AsArray();
        Assert.Contains(profiles, p => (string?)p!["name"] == "[variables('siloProfileName')]" && (string?)p["workloadProfileType"] != "Consumption");
        Assert.Equal("silos", profileName);
    }

    [Fact]
    public async Task Before_the_first_image_the_silo_app_runs_no_replica_and_azd_up_provisions_again_after_deploying()
    {
        var t = await TemplateAsync();
        var silo = t.Single("Microsoft.App/containerApps");
        // Without an image nothing could answer the silo's ports and probes: no ingress, no probes, no replica.
        Assert.EndsWith(", null())]", (string)silo["properties.configuration.ingress"]!);
        Assert.EndsWith(", createArray())]", (string)silo["properties.template.containers"]!.AsArray().Single()!["probes"]!);
        Assert.EndsWith(", 0)]", (string)silo["properties.template.scale.minReplicas"]!);
        var yaml = await File.ReadAllTextAsync(Repository.PathOf("azure.yaml"));
        Assert.Matches(@"(?s)up:\s*\n\s*steps:.*azd: provision.*azd: deploy.*azd: provision", yaml);
    }

    [Fact]
    public async Task The_warehouse_is_a_blob_container_in_an_account_without_shared_keys()
    {
        var t = await TemplateAsync();
        var account = t.Single("Microsoft.Storage/storageAccounts");
        Assert.False((bool)account["properties.allowSharedKeyAccess"]!);
        Assert.False((bool)account["properties.allowBlobPublicAccess"]!);
        var container = t.Single("Microsoft.Storage/storageAccounts/blobServices/containers");
        Assert.Equal("None", (string)container["properties.publicAccess"]!);
        Assert.Equal("warehouse", (string)t.Module(account.Module).Select("parameters.containerName.defaultValue")!);
    }

    [Fact]
    public async Task Event_hubs_and_redis_take_entra_id_sign_in_only()
    {
        var t = await TemplateAsync();
        var hubs = t.Single("Microsoft.EventHub/namespaces");
        Assert.Equal("Standard", (string)hubs["sku.tier"]!); // the Kafka endpoint needs Standard or above
        Assert.True((bool)hubs["properties.disableLocalAuth"]!);
        t.Single("Microsoft.EventHub/namespaces/eventhubs");

        t.Single("Microsoft.Cache/redisEnterprise");
        var database = t.Single("Microsoft.Cache/redisEnterprise/databases");
        Assert.Equal("Disabled", (string)database["properties.accessKeysAuthentication"]!);
        Assert.Equal("Encrypted", (string)database["properties.clientProtocol"]!);
        var access = t.Single("Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments");
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", (string)access["properties.user.objectId"]!);

        // The one key in the deployment: Log Analytics takes its workspace key for container logs, and nothing else.
        var keyUsers = t.Resources.Where(r => r.Json.ToJsonString().Contains("listKeys(", StringComparison.Ordinal) && r.Type != "Microsoft.Resources/deployments").ToList();
        Assert.Equal(["Microsoft.App/managedEnvironments"], keyUsers.Select(r => r.Type));
    }

    [Fact]
    public async Task A_private_dns_zone_resolves_the_internal_environment_inside_the_vnet()
    {
        var t = await TemplateAsync();
        t.Single("Microsoft.Network/privateDnsZones");
        var record = t.Single("Microsoft.Network/privateDnsZones/A");
        Assert.EndsWith(", '*')]", (string)record.Json["name"]!); // the wildcard: every app of the environment
        t.Single("Microsoft.Network/privateDnsZones/virtualNetworkLinks");
    }

    [Fact]
    public async Task The_silo_identity_is_user_assigned_and_holds_exactly_the_data_roles_it_needs()
    {
        var t = await TemplateAsync();
        t.Single("Microsoft.ManagedIdentity/userAssignedIdentities");
        var roles = t.OfType("Microsoft.Authorization/roleAssignments").ToList();
        var granted = roles.Select(r => Regex.Match((string)r["properties.roleDefinitionId"]!, "'([0-9a-f-]{36})'|variables\\('(\\w+)'\\)"))
            .Zip(roles, (m, r) => m.Groups[1].Success ? m.Groups[1].Value : (string)t.Module(r.Module).Select($"variables.{m.Groups[2].Value}")!)
            .Order().ToList();
        Assert.Equal(new[] { StorageBlobDataContributor, EventHubsDataSender, EventHubsDataReceiver, AcrPull }.Order(), granted);
        Assert.All(roles, r =>
        {
            Assert.Equal("ServicePrincipal", (string)r["properties.principalType"]!);
            Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", (string)r["properties.principalId"]!);
        });
        var silo = t.Single("Microsoft.App/containerApps");
        Assert.Equal("UserAssigned", (string)silo["identity.type"]!);
        Assert.Contains("userAssignedIdentities", silo["properties.configuration.registries"]!.ToJsonString());
    }

    [Fact]
    public async Task Outputs_are_upper_snake_for_azd_and_hold_no_secret()
    {
        var t = await TemplateAsync();
        var outputs = t.Root["outputs"]!.AsObject();
        Assert.Contains("AZURE_RESOURCE_GROUP", outputs.Select(o => o.Key));
        Assert.Contains("AZURE_CONTAINER_REGISTRY_ENDPOINT", outputs.Select(o => o.Key)); // azd pushes the image there
        Assert.Contains("TABLESTORE_WAREHOUSE", outputs.Select(o => o.Key));
        Assert.Contains("TABLESTORE_GATEWAY", outputs.Select(o => o.Key));
        foreach (var (name, output) in outputs)
        {
            Assert.Matches("^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$", name);
            Assert.DoesNotContain("listKeys", output!.ToJsonString(), StringComparison.OrdinalIgnoreCase);
            Assert.NotEqual("securestring", (string?)output["type"], StringComparer.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task The_parameters_file_gives_azd_variables_for_every_required_parameter()
    {
        var t = await TemplateAsync();
        var file = JsonNode.Parse(await File.ReadAllTextAsync(Repository.PathOf("bicep/main.parameters.json")))!["parameters"]!.AsObject();
        Assert.Equal("${AZURE_ENV_NAME}", (string)file["environmentName"]!["value"]!);
        Assert.Equal("${AZURE_LOCATION}", (string)file["location"]!["value"]!);
        var declared = t.Root["parameters"]!.AsObject();
        foreach (var (name, _) in file) Assert.True(declared.ContainsKey(name), $"main.parameters.json sets {name}, which main.bicep does not declare");
        foreach (var (name, p) in declared.Where(p => p.Value!["defaultValue"] is null))
            Assert.True(file.ContainsKey(name), $"main.bicep needs {name}; main.parameters.json does not give it");
    }

    /// <summary>
    /// The settings the Bicep gives the silo are ones the server reads, and they pass its validation: a typo in an
    /// environment variable name would otherwise be ignored silently and show only in Azure.
    /// </summary>
    [Fact]
    public async Task The_silo_environment_binds_to_the_server_settings_and_validates()
    {
        var t = await TemplateAsync();
        var silo = t.Single("Microsoft.App/containerApps");
        var module = t.Module(silo.Module);
        var env = silo["properties.template.containers"]!.AsArray().Single()!["env"]!.AsArray()
            .ToDictionary(e => (string)e!["name"]!, e => e!["value"] is { } v ? Resolve(module, v).ToString() : $"secret:{(string)e["secretRef"]!}");

        Assert.StartsWith("[format('az://", env["TableStore__Warehouse"]);
        Assert.Equal("redis", env["TableStore__Clustering"]);
        Assert.Equal("entra", env["TableStore__RedisAuthentication"]);
        Assert.DoesNotContain("password", env["TableStore__Redis"], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("clientId", env["AZURE_CLIENT_ID"]);
        Assert.Contains("servicebus.windows.net:9093", env["TableStore__Kafka__BootstrapServers"]);
        Assert.Contains("APPLICATIONINSIGHTS_CONNECTION_STRING", env.Keys);

        // Expressions become sample values of the shape Azure resolves them to.
        var sample = env.ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => (string?)(e.Key switch
        {
            "TableStore__Warehouse" => "az://staccount/warehouse",
            "TableStore__Redis" => "redis-x.westeurope.redis.azure.net:10000,ssl=True,abortConnect=False",
            "TableStore__Dashboard" => "False",
            _ => e.Value,
        }));
        var config = new ConfigurationBuilder().AddInMemoryCollection(sample).Build();
        var section = config.GetSection(TableStoreOptions.SectionName);
        var known = typeof(ServerOptions).GetProperties().Concat(typeof(TableStoreOptions).GetProperties()).Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // Kafka settings are read by the Kafka stream provider (issue 15); until it lands the silo logs that they are unused.
        known.Add("Kafka");
        foreach (var child in section.GetChildren()) Assert.True(known.Contains(child.Key), $"TableStore__{child.Key} is set by the Bicep but no server option has that name");

        var server = section.Get<ServerOptions>()!;
        server.Validate();
        Assert.True(server.IsRedis && server.IsEntraRedis);
        var store = section.Get<TableStoreOptions>()!;
        new TableStoreOptionsValidator(Options.Create(store)).ValidateConfiguration();
    }

    /// <summary>The value once an image is deployed: the first branch of <c>[if(variables('hasImage'), A, B)]</c>, resolved.</summary>
    private static JsonNode WithImage(JsonObject module, JsonNode value)
    {
        if (value is JsonValue v && v.TryGetValue<string>(out var s) && Regex.Match(s, @"^\[if\(variables\('hasImage'\), (variables\('\w+'\)|parameters\('\w+'\)), .*\)\]$") is { Success: true } m)
            return Resolve(module, JsonValue.Create($"[{m.Groups[1].Value}]")!);
        return Resolve(module, value);
    }

    /// <summary>A value as written, or the module variable it names (<c>[variables('x')]</c>, <c>[string(variables('x'))]</c>).</summary>
    private static JsonNode Resolve(JsonObject module, JsonNode value)
    {
        if (value is JsonValue v && v.TryGetValue<string>(out var s) && Regex.Match(s, @"^\[(string\()?variables\('(\w+)'\)\)?\]$") is { Success: true } m)
        {
            var resolved = module.Select($"variables.{m.Groups[2].Value}")!;
            return m.Groups[1].Success ? JsonValue.Create(resolved.ToString())! : resolved;
        }
        return value;
    }
}
