using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Fer.Benchmarks;

/// <summary>
/// Issue 27's whole loop against a running system (<c>dotnet run --project Fer.AppHost</c>): replays FER2013 test faces
/// with a shift through the gateway's /predict, waits for production's drift alarm (<c>GET /models/drift</c>), labels
/// answered faces with their true emotion (<c>POST /feedback</c>) until the retraining policy it set fires, follows the
/// training run and then the rollout of its version (the traffic goes on, so the rollout gets its evidence), and prints
/// each step on a timeline and a summary. The operator's retraining policy is put back at the end, whatever ends it.
/// </summary>
public sealed class MonitoringLoop
{
    private static readonly TimeSpan Look = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan GatesEvery = TimeSpan.FromSeconds(15);

    private readonly LoopGateway gateway;
    private readonly MonitoringLoopOptions options;
    private readonly TextWriter output;
    private readonly string production;
    private readonly LoopTraffic traffic;
    private readonly int threshold;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly HashSet<string> printed = [];
    private readonly List<(string Stage, TimeSpan At, long Answered)> stages = [];
    private LoopFeedback? feedback;
    private bool inAlarm;
    private bool alarmSeen;
    private long labelsShown;
    private int newLabels;
    private string? jobId;
    private string? candidate;
    private TimeSpan gatesShownAt;
    private TimeSpan driftShownAt;

    private MonitoringLoop(LoopGateway gateway, MonitoringLoopOptions options, TextWriter output, string production, LoopTraffic traffic, int threshold) =>
        (this.gateway, this.options, this.output, this.production, this.traffic, this.threshold) = (gateway, options, output, production, traffic, threshold);

    /// <summary>The final decision (promoted, rolledBack, aborted), or why the loop ended without one.</summary>
    private string? Outcome { get; set; }

    private string? OutcomeReason { get; set; }

    /// <summary>Runs the loop until its rollout decides, the time limit, or Ctrl+C (SIGINT) / SIGTERM: 0 when the
    /// rollout decided and no request failed, 1 otherwise, 130 when interrupted.</summary>
    public static async Task<int> RunAsync(MonitoringLoopOptions options, TextWriter output)
    {
        using var interrupted = new CancellationTokenSource();
        void Interrupt(PosixSignalContext context)
        {
            context.Cancel = true;
            interrupted.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        try
        {
            return await RunAsync(options, output, interrupted.Token);
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            return 130;
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
        {
            throw new HttpRequestException($"{options.Gateway} answered in a shape the loop does not know ({e.Message}): is it Fer's gateway, of the same version?", e);
        }
    }

    public static async Task<int> RunAsync(MonitoringLoopOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var testFolder = Fer2013TestFolder.Locate(options.Data);
        using var gateway = new LoopGateway(options.Gateway, options.AdminKey);

        // What runs now: a production version, no rollout, no training job; the operator's policy and its label count.
        var production = (await gateway.GetAsync("/models", cancellationToken)).GetProperty("production").GetString()
            ?? throw new ArgumentException("the system has no production version: train or promote one first");
        if ((await gateway.GetAsync("/models/rollout", cancellationToken)).GetProperty("rollout") is { ValueKind: JsonValueKind.Object } rollout)
            throw new ArgumentException($"model version {rollout.GetProperty("candidate").GetString()} is in rollout: wait for its decision or abort it (POST /models/rollout/abort)");
        if ((await gateway.GetAsync("/train?count=1", cancellationToken)).GetProperty("jobs").EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } job
            && job.GetProperty("state").GetString() is "queued" or "running")
            throw new ArgumentException($"training job {job.GetProperty("id").GetString()} runs: wait for it or cancel it (POST /train/{{id}}/cancel)");
        var view = await gateway.GetAsync("/feedback/policy", cancellationToken);
        var threshold = view.GetProperty("newLabels").GetInt32() + options.Labels;
        var drift = ProductionDrift(await gateway.GetAsync("/models/drift", cancellationToken), production);
        var faces = ShiftedFaces.Load(testFolder, options.Shift);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{DateTimeOffset.UtcNow:u}: gateway {options.Gateway}, production {production}; {options.Concurrency} clients post {options.Shift.ToString().ToLowerInvariant()} FER2013 test faces ({faces.Count:N0}) to /predict at {Pace(options.Rate)}, labels at {options.FeedbackRate:0.##}/s; {Environment.ProcessorCount} cores"));
        output.WriteLine($"production's drift at the start: {(drift is { } d && d.GetProperty("alarm").GetBoolean() ? $"IN ALARM already ({Alarms(d)}): the window holds earlier traffic" : "no alarm")}");
        output.WriteLine($"the operator's retraining policy: {view.GetProperty("policy").GetRawText()}");
        var policyForLoop = LoopPolicy.For(threshold, options);
        await using var policy = await LoopPolicy.SetAsync(gateway, view.GetProperty("policy"), policyForLoop, output, cancellationToken);
        output.WriteLine($"the loop's: {policyForLoop.ToJsonString()} ({view.GetProperty("newLabels").GetInt32()} labels since the policy's last run, so {options.Labels} more fire it)");
        output.WriteLine();

        await using var traffic = new LoopTraffic(gateway.Http, faces, options.Concurrency, options.Rate, options.Seed);
        var alarmAtStart = drift?.GetProperty("alarm").GetBoolean() == true;
        var loop = new MonitoringLoop(gateway, options, output, production, traffic, threshold) { inAlarm = alarmAtStart, alarmSeen = alarmAtStart };
        try
        {
            await loop.FollowAsync(policy.SavedAt, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.WriteLine(loop.jobId is null ? "interrupted" : $"interrupted: {loop.Waiting()} goes on without the loop (GET /train/{loop.jobId}, GET /models/rollout)");
            throw;
        }
        finally
        {
            if (loop.feedback is { } running) await running.DisposeAsync();
        }
        return loop.Summarize();
    }

    private async Task FollowAsync(DateTimeOffset policySavedAt, CancellationToken cancellationToken)
    {
        Print($"replay started: {options.Concurrency} clients at {Pace(options.Rate)}");
        while (Outcome is null)
        {
            if (clock.Elapsed > options.Limit)
            {
                (Outcome, OutcomeReason) = ("timed out", $"no final decision within {options.Limit.TotalMinutes:0.#} min (waiting for {Waiting()})");
                Print(OutcomeReason);
                break;
            }
            await Task.Delay(Look, cancellationToken);
            await LookAtDriftAsync(cancellationToken);
            if (feedback is null && jobId is null && (alarmSeen || clock.Elapsed >= options.AlarmWait))
            {
                if (!alarmSeen) Print($"no drift alarm within {options.AlarmWait.TotalMinutes:0.#} min: labelling all the same");
                feedback = new LoopFeedback(gateway.Http, traffic, options.FeedbackRate);
                Mark("feedback started", $"feedback started: each answered face labelled with its FER2013 emotion, {options.FeedbackRate:0.##}/s");
            }
            if (jobId is null) await LookAtPolicyAsync(policySavedAt, cancellationToken);
            else if (candidate is null) await LookAtJobAsync(cancellationToken);
            else await LookAtRolloutAsync(cancellationToken);
            ShowLabels();
        }
    }

    private async Task LookAtDriftAsync(CancellationToken cancellationToken)
    {
        var drift = ProductionDrift(await gateway.GetAsync("/models/drift", cancellationToken), production);
        var alarm = drift?.GetProperty("alarm").GetBoolean() == true;
        if (!alarmSeen && !alarm && clock.Elapsed - driftShownAt >= GatesEvery)
        {
            driftShownAt = clock.Elapsed;
            Print($"no drift alarm yet: {traffic.Answered} requests answered, {traffic.Failed} failed; {(drift is { } d0 ? Scores(d0) : "no drift report for production yet")}");
        }
        if (alarm == inAlarm) return;
        inAlarm = alarm;
        if (!alarm)
        {
            Print("production's drift alarm cleared");
            return;
        }
        var d = drift!.Value;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"drift alarm on {production} after {traffic.Answered} requests answered: {Alarms(d)} ({Scores(d)}); label-free accuracy estimate {Number(d, "estimatedAccuracy")}, offline {Number(d, "offlineAccuracy")}, measured on these faces {Accuracy(production)}");
        if (alarmSeen) Print(line);
        else Mark("drift alarm", line);
        alarmSeen = true;
    }

    private async Task LookAtPolicyAsync(DateTimeOffset policySavedAt, CancellationToken cancellationToken)
    {
        var view = await gateway.GetAsync("/feedback/policy", cancellationToken);
        newLabels = view.GetProperty("newLabels").GetInt32();
        foreach (var decision in view.GetProperty("decisions").EnumerateArray().Reverse()
            .Where(d => d.GetProperty("at").GetDateTimeOffset() >= policySavedAt))
        {
            var kind = decision.GetProperty("kind").GetString()!;
            if (!printed.Add($"policy {kind} {decision.GetProperty("at").GetRawText()}")) continue;
            if (kind != "fired")
            {
                Print($"retraining decision: {kind}: {decision.GetProperty("reason").GetString()}");
                continue;
            }
            jobId = decision.GetProperty("jobId").GetString();
            if (feedback is not null) await feedback.DisposeAsync(); // the loop's one run has fired: no more labels
            Mark("retraining fired", $"retraining decision: fired: {decision.GetProperty("reason").GetString()}; training job {jobId} (labels stopped at {feedback?.Stored ?? 0})");
            break;
        }
    }

    private async Task LookAtJobAsync(CancellationToken cancellationToken)
    {
        var job = await gateway.GetAsync($"/train/{jobId}", cancellationToken);
        var state = job.GetProperty("state").GetString();
        var stage = job.GetProperty("stage") is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;
        var phase = job.GetProperty("phase").GetInt32();
        if (state is "queued" or "running" && (stage != "training" || phase > 0) && printed.Add($"stage {state} {stage} {phase}"))
            Print($"job {jobId}: {state}{(stage is null ? "" : $", {stage}")}{(stage == "training" ? $" (phase {phase}, {job.GetProperty("epochs").GetInt32()} epochs)" : "")}");
        if (job.GetProperty("latest") is { ValueKind: JsonValueKind.Object } epoch && printed.Add($"epoch {epoch.GetProperty("phase").GetInt32()}.{epoch.GetProperty("epoch").GetInt32()}"))
            Print(string.Create(CultureInfo.InvariantCulture,
                $"job {jobId}: phase {epoch.GetProperty("phase").GetInt32()} epoch {epoch.GetProperty("epoch").GetInt32()} done: training loss {epoch.GetProperty("trainLoss").GetDouble():0.###}, validation accuracy {epoch.GetProperty("validationAccuracy").GetDouble():0.###}, macro-F1 {epoch.GetProperty("validationMacroF1").GetDouble():0.###} ({epoch.GetProperty("seconds").GetDouble():0.#} s, {epoch.GetProperty("imagesPerSecond").GetDouble():0} images/s)"));
        if (state is "queued" or "running") return;
        if (state != "succeeded" || job.GetProperty("result") is not { ValueKind: JsonValueKind.Object } result)
        {
            (Outcome, OutcomeReason) = ($"job {state}", job.GetProperty("error").ToString());
            Mark("training job ended", $"job {jobId} {state}: {OutcomeReason}");
            return;
        }
        candidate = result.GetProperty("version").GetString();
        var promotion = result.GetProperty("promotionReason").GetString() ?? "";
        Mark("training job done", string.Create(CultureInfo.InvariantCulture,
            $"job {jobId} succeeded: version {candidate} (validation macro-F1 {result.GetProperty("validationMacroF1").GetDouble():0.###}), {promotion}"));
        if (!promotion.StartsWith("in rollout", StringComparison.Ordinal)) (Outcome, OutcomeReason) = ("not in rollout", promotion);
    }

    private async Task LookAtRolloutAsync(CancellationToken cancellationToken)
    {
        var state = await gateway.GetAsync("/models/rollout", cancellationToken);
        foreach (var decision in state.GetProperty("decisions").EnumerateArray().Reverse()
            .Where(d => d.GetProperty("candidate").GetString() == candidate))
        {
            var kind = decision.GetProperty("kind").GetString()!;
            if (!printed.Add($"rollout {kind} {decision.GetProperty("at").GetRawText()}")) continue;
            var reason = decision.GetProperty("reason").GetString();
            var step = string.Create(CultureInfo.InvariantCulture,
                $"{decision.GetProperty("mode").GetString()} {decision.GetProperty("share").GetDouble() * 100:0.#} %");
            var line = $"rollout of {candidate}: {kind} ({step}): {reason}; clients: {traffic.Answered} answered, {traffic.Failed} failed";
            if (kind is "promoted" or "rolledBack" or "aborted")
            {
                (Outcome, OutcomeReason) = (kind, reason);
                Mark("rollout decided", line);
                return;
            }
            if (kind == "started") Mark("rollout started", line);
            else Print(line);
        }
        if (clock.Elapsed - gatesShownAt >= GatesEvery && state.GetProperty("gates") is { ValueKind: JsonValueKind.String } gates)
        {
            gatesShownAt = clock.Elapsed;
            Print($"rollout of {candidate}: gates: {gates.GetString()}");
        }
    }

    /// <summary>Prints the labels stored each time ten more are in, until the run fires.</summary>
    private void ShowLabels()
    {
        if (feedback is null || jobId is not null || feedback.Stored / 10 == labelsShown / 10) return;
        labelsShown = feedback.Stored;
        Print($"feedback: {feedback.Stored} labels stored (the store holds {feedback.StoreCount}; the policy counted {newLabels} of the {threshold} it waits for), {feedback.Lost} lost, {feedback.Failed} failed");
    }

    private int Summarize()
    {
        output.WriteLine();
        output.WriteLine("| stage | at | after the previous stage | requests answered by then |");
        output.WriteLine("|---|---|---|---|");
        var previous = TimeSpan.Zero;
        foreach (var (stage, at, answered) in stages)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {stage} | {at.TotalSeconds:0.0} s | {(at - previous).TotalSeconds:0.0} s | {answered} |"));
            previous = at;
        }
        output.WriteLine();
        output.WriteLine($"requests: {traffic.Sent} sent, {traffic.Answered} answered, {traffic.Failed} failed, {traffic.RateLimited} turned away by the gateway's rate limit{(traffic.LastFailure is { } f ? $" (last failure: {f})" : "")}");
        if (feedback is not null)
            output.WriteLine($"labels: {feedback.Stored} stored, {feedback.Lost} lost (face forgotten), {feedback.Failed} failed{(feedback.LastFailure is { } l ? $" (last failure: {l})" : "")}");
        foreach (var (version, answers) in traffic.Versions.OrderBy(v => v.Key, StringComparer.Ordinal))
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{version}: answered {answers.Answered}, right {answers.Correct} ({answers.Accuracy:0.###} on {options.Shift.ToString().ToLowerInvariant()} faces)"));
        var decided = Outcome is "promoted" or "rolledBack";
        var clean = traffic.Failed == 0 && (feedback?.Failed ?? 0) == 0;
        output.WriteLine($"outcome: {Outcome}: {OutcomeReason}");
        output.WriteLine(decided && clean ? "the loop closed: alarm, feedback, triggered run, rollout decision; no request failed"
            : decided ? "the loop closed, but requests FAILED" : "the loop did NOT close");
        return decided && clean ? 0 : 1;
    }

    private string Waiting() => jobId is null ? "the retraining decision" : candidate is null ? $"training job {jobId}" : $"the rollout of {candidate}";

    private void Mark(string stage, string line)
    {
        stages.Add((stage, clock.Elapsed, traffic.Answered));
        Print(line);
    }

    private void Print(string line) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"+{clock.Elapsed.TotalSeconds,6:F1} s  {line}"));

    private string Accuracy(string version) => traffic.Versions.TryGetValue(version, out var answers) && answers.Answered > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{answers.Accuracy:0.###} over {answers.Answered}")
        : "n/a";

    private static JsonElement? ProductionDrift(JsonElement overview, string production) =>
        overview.GetProperty("versions").EnumerateArray().Where(v => v.GetProperty("name").GetString() == production).Select(v => (JsonElement?)v).FirstOrDefault();

    /// <summary>The drift scores (-log10 p), highest first, and the faces they rest on.</summary>
    private static string Scores(JsonElement drift)
    {
        var scores = drift.GetProperty("scores").EnumerateObject().OrderByDescending(s => s.Value.GetDouble())
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Name} {s.Value.GetDouble():0.#}")).ToList();
        var faces = drift.GetProperty("windowFaces").GetInt64();
        return scores.Count > 0
            ? $"scores {string.Join(", ", scores)} over {faces} faces in the replicas' windows"
            : $"{faces} faces in the replicas' windows, not tested yet (a replica tests from 200 faces on)";
    }

    private static string Alarms(JsonElement drift) => string.Join(", ", drift.GetProperty("alarms").EnumerateArray().Select(a => a.GetString()));

    private static string Number(JsonElement element, string name) =>
        element.GetProperty(name) is { ValueKind: JsonValueKind.Number } number ? number.GetDouble().ToString("0.###", CultureInfo.InvariantCulture) : "n/a";

    private static string Pace(double rate) => rate > 0 ? string.Create(CultureInfo.InvariantCulture, $"{rate:0.##} requests/s") : "full speed";
}
