using System.ComponentModel.DataAnnotations;

namespace Fer.Inference.Monitoring;

/// <summary>Drift monitoring ("Monitoring" section). The defaults and why they hold are in docs/monitoring.md: with
/// them, simulated replays of clean FER2013 test faces, 10,000 faces each, raised no alarm (DriftSimulationTests).</summary>
public sealed class DriftOptions
{
    public const string SectionName = "Monitoring";

    /// <summary>The sliding window: the last this many faces of each version are compared with its reference.</summary>
    [Range(50, 100_000)]
    public int WindowFaces { get; set; } = 1000;

    /// <summary>No test before a version's window holds this many faces.</summary>
    [Range(20, 100_000)]
    public int MinFaces { get; set; } = 200;

    /// <summary>The tests run every this many faces.</summary>
    [Range(1, 100_000)]
    public int CheckEvery { get; set; } = 50;

    /// <summary>A statistic is in alarm when its drift score, -log10 of the test's p-value, reaches this.</summary>
    [Range(1.0, 300.0)]
    public double AlarmScore { get; set; } = 8;

    /// <summary>At most this many versions are watched at once; the one answered longest ago makes room.</summary>
    [Range(1, 64)]
    public int MaxVersions { get; set; } = 4;
}
