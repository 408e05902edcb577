using System.ComponentModel.DataAnnotations;

namespace Fer.Garnet;

/// <summary>Settings of the Garnet host (section "Garnet").</summary>
public sealed class GarnetHostOptions
{
    public const string SectionName = "Garnet";

    [Range(1, 65535)]
    public int Port { get; set; } = 6379;

    [Required]
    public string Bind { get; set; } = "127.0.0.1";

    /// <summary>Checkpoints, the append-only file and the on-disk tier of the log live here; keep it across restarts.</summary>
    [Required]
    public string DataDirectory { get; set; } = "";

    /// <summary>Memory for the in-memory part of the log (Garnet's size syntax: 512m, 2g). Values beyond it go to the
    /// on-disk tier, never dropped.</summary>
    [Required]
    [RegularExpression("^[0-9]+[kmgKMG]$")]
    public string MemorySize { get; set; } = "1g";
}
