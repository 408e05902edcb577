namespace Fer.AppHost.Hosting;

/// <summary>Settings of Aspire's orchestrator (DCP), which the AppHost starts with its own environment.</summary>
public static class DcpSettings
{
    /// <summary>
    /// DCP keeps a watchdog process beside every service (`dcp monitor-process`, about 68 MB resident each, 22 MB
    /// of it its own) that stops the service if DCP itself dies abruptly. Fer runs without them: a Ctrl+C, or the
    /// AppHost's exit, still stops every service through DCP (tested). DCP_DISABLE_MONITOR_PROCESS=false in the
    /// environment brings them back.
    /// </summary>
    public static void WithoutProcessMonitors(this IDistributedApplicationBuilder builder)
    {
        const string Variable = "DCP_DISABLE_MONITOR_PROCESS";
        if (builder.ExecutionContext.IsRunMode && Environment.GetEnvironmentVariable(Variable) is null)
            Environment.SetEnvironmentVariable(Variable, "true");
    }
}
