using Fer.Registry.Feedback;

namespace Fer.Inference.Feedback;

/// <summary>Where a label arrives: kept here when this replica answered the face, else passed on to the one that did.</summary>
public sealed class FeedbackDesk(FeedbackWindow window, FeedbackRecorder recorder, FeedbackRelay relay)
{
    public Task<FeedbackResult> SubmitAsync(string id, string emotion, CancellationToken cancellationToken) =>
        FeedbackWindow.ReplicaOf(id) switch
        {
            null => Task.FromResult(new FeedbackResult(FeedbackOutcome.Unknown)),
            var replica when replica == window.Replica => recorder.RecordAsync(id, emotion),
            var replica => relay.ForwardAsync(replica, id, emotion, cancellationToken),
        };
}
