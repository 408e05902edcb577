using Fer.Gateway.Limits;
using Fer.Gateway.Proxy;
using Fer.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Fer.Tests.Gateway;

/// <summary>The gateway's options, checked from their data annotations as <c>ValidateDataAnnotations()</c> does at start:
/// each bad setting is refused with its configuration key.</summary>
public sealed class GatewayOptionsValidationTests
{
    [Fact]
    public void EveryBadProxySetting_IsNamed()
    {
        var result = new DataAnnotationValidateOptions<ProxyOptions>(null).Validate(null,
            new ProxyOptions { MaxAttempts = 11, HealthCheckInterval = TimeSpan.Zero, HealthCheckTimeout = TimeSpan.FromSeconds(-1) });

        Assert.Equal(["Gateway:Proxy:HealthCheckInterval", "Gateway:Proxy:HealthCheckTimeout", "Gateway:Proxy:MaxAttempts"],
            OptionsFailures.NamedKeys(result.Failures!, "Gateway:Proxy:"));
    }

    [Fact]
    public void EveryBadLimit_IsNamed()
    {
        var result = new DataAnnotationValidateOptions<LimitsOptions>(null).Validate(null,
            new LimitsOptions { MaxRequestBodyBytes = 0, PredictPermitLimit = -1, PredictWindow = TimeSpan.Zero });

        Assert.Equal(["Gateway:Limits:MaxRequestBodyBytes", "Gateway:Limits:PredictPermitLimit", "Gateway:Limits:PredictWindow"],
            OptionsFailures.NamedKeys(result.Failures!, "Gateway:Limits:"));
        Assert.Contains(result.Failures!, f => f.Contains("Gateway:Limits:PredictWindow must be positive", StringComparison.Ordinal));
    }

    [Fact]
    public void TheDefaults_AndTheSmallestValues_AreValid()
    {
        Assert.True(new DataAnnotationValidateOptions<ProxyOptions>(null).Validate(null, new ProxyOptions { HealthCheckInterval = TimeSpan.FromTicks(1) }).Succeeded);
        Assert.True(new DataAnnotationValidateOptions<LimitsOptions>(null).Validate(null, new LimitsOptions { MaxRequestBodyBytes = 1, PredictPermitLimit = 1 }).Succeeded);
    }
}
