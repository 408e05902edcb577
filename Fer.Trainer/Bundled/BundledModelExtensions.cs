namespace Fer.Trainer.Bundled;

public static class BundledModelExtensions
{
    /// <summary>The bundled-model seeder ("Trainer:BundledModel" section).</summary>
    public static TBuilder AddBundledModel<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<BundledModelOptions>().BindConfiguration(BundledModelOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<BundledModelSeeder>();
        builder.Services.AddHostedService(services => services.GetRequiredService<BundledModelSeeder>());
        return builder;
    }
}
