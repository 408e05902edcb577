using Aspire.Hosting.ApplicationModel;

namespace Fer.AppHost.Training;

/// <summary>The trainer's current job as a resource under the trainer: its state is the job's progress.</summary>
public sealed class TrainingJobResource(string name) : Resource(name);
