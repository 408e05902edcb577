using System.Text.Json;
using Fer.Inference.Apis;
using Fer.Inference.Batching;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Fer.Tests.Inference;

/// <summary>What an unexpected failure tells the public: that it failed and where it is logged, never the exception's
/// text (an OutOfMemoryException's message, a path, a native library's words).</summary>
public sealed class InferenceProblemsTests
{
    [Theory]
    [InlineData("Array dimensions exceeded supported range.")]
    [InlineData("[ErrorCode:RuntimeException] Non-zero status code returned while running Conv node. /onnxruntime_src/core/framework/bfc_arena.cc:376")]
    public async Task UnexpectedFailure_Answers500_WithoutTheExceptionText(string internals)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();

        await InferenceProblems.From(new OutOfMemoryException(internals), context).ExecuteAsync(context);

        context.Response.Body.Position = 0;
        var problem = JsonDocument.Parse(context.Response.Body).RootElement;
        Assert.Equal(500, context.Response.StatusCode);
        Assert.Equal("Inference failed", problem.GetProperty("title").GetString());
        Assert.DoesNotContain(internals, problem.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("traceId", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(problem.TryGetProperty("traceId", out _), "the answer carries the traceId its detail refers to");
    }

    [Fact]
    public async Task AFailedModelRun_Answers500_NamingTheVersion_WithoutTheExceptionText()
    {
        const string internals = "[ErrorCode:RuntimeException] Non-zero status code returned while running Gather node.";
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();

        await InferenceProblems.From(new ModelRunException("v0009-abc", new InvalidOperationException(internals)), context).ExecuteAsync(context);

        context.Response.Body.Position = 0;
        var problem = JsonDocument.Parse(context.Response.Body).RootElement;
        Assert.Equal(500, context.Response.StatusCode);
        Assert.Equal(("Inference failed", "v0009-abc"), (problem.GetProperty("title").GetString(), problem.GetProperty("modelVersion").GetString()));
        Assert.StartsWith("model v0009-abc could not compute this request", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(internals, problem.GetRawText(), StringComparison.Ordinal);
    }
}
