namespace Fer.Trainer.Extensions;

public static class TrainerDefaults
{
    /// <summary>Where the trainer listens when run on its own (the AppHost passes ASPNETCORE_URLS instead).</summary>
    public const string Url = "http://localhost:5100";
}
