namespace Fer.Trainer.Jobs;

/// <summary>The body of <c>POST /train</c>: every field optional; a missing field takes the CLI's default.</summary>
public sealed record TrainRequest
{
    /// <summary>An image-folder root (<c>train/&lt;class&gt;/*</c>, optional <c>test/</c>) or a FER2013 CSV file.</summary>
    public string? Data { get; init; }

    public int? ImageSize { get; init; }
    public int? Epochs1 { get; init; }
    public int? Epochs2 { get; init; }
    public int? BatchSize { get; init; }

    /// <summary>torchvision ImageNet weights for the backbone (<c>efficientnet_v2_s-dd5fe13b.pth</c>).</summary>
    public string? Weights { get; init; }

    /// <summary><c>transfer</c> or <c>scratch</c>.</summary>
    public string? Recipe { get; init; }

    public int? Seed { get; init; }

    /// <summary><c>always</c>, <c>if-better</c> or <c>never</c>.</summary>
    public string? Promote { get; init; }
}
