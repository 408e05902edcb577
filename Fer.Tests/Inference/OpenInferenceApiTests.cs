using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fer.Contracts;
using Fer.Imaging;
using Fer.Inference.Contracts;
using Fer.Training.Onnx;

namespace Fer.Tests.Inference;

/// <summary>The KServe v2 / Open Inference Protocol endpoints over real HTTP.</summary>
public sealed class OpenInferenceApiTests : IAsyncLifetime
{
    private const int Seed = 12;
    private InferenceHost host = null!;

    public async Task InitializeAsync()
    {
        host = await InferenceHost.StartWithFileAsync(InferenceTestModels.WriteToTempFile(Seed));
        await host.WaitForVersionAsync("seed-12");
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task HealthAndMetadata_DescribeTheServedModel()
    {
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/v2/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/v2/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/v2/models/fer/ready")).StatusCode);

        using var metadata = JsonDocument.Parse(await host.Client.GetStringAsync("/v2/models/fer"));
        var root = metadata.RootElement;
        Assert.Equal("fer", root.GetProperty("name").GetString());
        Assert.Equal("seed-12", root.GetProperty("versions")[0].GetString());
        var input = root.GetProperty("inputs")[0];
        Assert.Equal("input", input.GetProperty("name").GetString());
        Assert.Equal("FP32", input.GetProperty("datatype").GetString());
        Assert.Equal([-1, 1, 48, 48], input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Contains(root.GetProperty("outputs").EnumerateArray(), o => o.GetProperty("name").GetString() == "probabilities");
        Assert.Equal(EmotionLabels.Names, root.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
    }

    [Fact]
    public async Task Infer_RunsABatchOfRealCrops_AndAgreesWithTorchSharp()
    {
        var crops = InferenceTestModels.FerImages().Take(3).Select(path => FaceImageDecoder.Decode(File.ReadAllBytes(path)).Pixels).ToArray();
        var request = new JsonObject
        {
            ["id"] = "request-1",
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["name"] = "input",
                ["shape"] = new JsonArray(3, 1, 48, 48),
                ["datatype"] = "FP32",
                ["data"] = new JsonArray(crops.SelectMany(c => c).Select(v => (JsonNode)v).ToArray()),
            }),
        };

        var response = await host.Client.PostAsJsonAsync("/v2/models/fer/infer", request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<OpenInferenceResponse>())!;
        Assert.Equal("fer", result.ModelName);
        Assert.Equal("seed-12", result.ModelVersion);
        Assert.Equal("request-1", result.Id);
        var probabilities = result.Outputs.Single(o => o.Name == "probabilities");
        Assert.Equal([3, 7], probabilities.Shape);
        Assert.Equal("FP32", probabilities.Datatype);
        for (var i = 0; i < crops.Length; i++)
        {
            var expected = InferenceTestModels.ReferenceProbabilities(Seed, crops[i]);
            for (var c = 0; c < 7; c++) Assert.Equal(expected[c], probabilities.Data[i * 7 + c], 1e-4);
        }
        Assert.Equal([3, 7], result.Outputs.Single(o => o.Name == "logits").Shape);
    }

    [Fact]
    public async Task Infer_AcceptsNestedData_AndAnswersOnlyTheRequestedOutput()
    {
        var crop = FaceImageDecoder.Decode(File.ReadAllBytes(InferenceTestModels.FerImages()[4])).Pixels;
        var rows = new JsonArray(Enumerable.Range(0, 48)
            .Select(y => (JsonNode)new JsonArray(crop[(y * 48)..((y + 1) * 48)].Select(v => (JsonNode)v).ToArray())).ToArray());
        var request = new JsonObject
        {
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["name"] = "input", ["shape"] = new JsonArray(1, 1, 48, 48), ["datatype"] = "FP32",
                ["data"] = new JsonArray(new JsonArray(rows)),
            }),
            ["outputs"] = new JsonArray(new JsonObject { ["name"] = "probabilities" }),
        };

        var response = await host.Client.PostAsJsonAsync("/v2/models/fer/infer", request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<OpenInferenceResponse>())!;
        var output = Assert.Single(result.Outputs);
        var expected = InferenceTestModels.ReferenceProbabilities(Seed, crop);
        for (var c = 0; c < 7; c++) Assert.Equal(expected[c], output.Data[c], 1e-4);
    }

    [Theory]
    [InlineData("[2,1,48,48]", "FP32", 0.5, "has 2304 values; shape [2,1,48,48] needs 4608")]
    [InlineData("[1,3,48,48]", "FP32", 0.5, "must be [N,1,48,48]")]
    [InlineData("[1,1,48,48]", "INT8", 0.5, "datatype 'INT8'")]
    [InlineData("[1,1,48,48]", "FP32", 255.0, "in [0, 1]")]
    public async Task Infer_ReturnsProblem400_ForABadTensor(string shape, string datatype, double value, string detail)
    {
        var request = new JsonObject
        {
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["name"] = "input", ["shape"] = JsonNode.Parse(shape), ["datatype"] = datatype,
                ["data"] = new JsonArray(Enumerable.Repeat(value, 2304).Select(v => (JsonNode)v).ToArray()),
            }),
        };

        var response = await host.Client.PostAsJsonAsync("/v2/models/fer/infer", request);

        await PredictApiTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, detail);
    }

    [Fact]
    public async Task Infer_ReturnsProblems_ForAnUnknownModelAndForBodiesThatAreNotRequests()
    {
        await PredictApiTests.AssertProblemAsync(
            await host.Client.PostAsync("/v2/models/other/infer", JsonContent.Create(new { })), HttpStatusCode.NotFound, "no model 'other'");
        await PredictApiTests.AssertProblemAsync(
            await host.Client.PostAsync("/v2/models/fer/infer", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "not a valid inference request");
        await PredictApiTests.AssertProblemAsync(
            await host.Client.PostAsync("/v2/models/fer/infer", new StringContent("x", System.Text.Encoding.UTF8, "text/plain")),
            HttpStatusCode.UnsupportedMediaType, "application/json");
    }
}
