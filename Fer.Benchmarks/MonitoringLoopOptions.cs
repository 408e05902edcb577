using System.Globalization;

namespace Fer.Benchmarks;

/// <summary>
/// Where the monitoring loop finds the running system (the gateway and its admin key), the traffic it sends (the shift,
/// clients, requests and labels a second: together under the gateway's default limit of 100 a client per 10 s), the
/// retraining it asks for (how many labels fire it, a run of a minute or two on a 2-core CPU), how long it may take,
/// and where FER2013 is.
/// </summary>
public sealed record MonitoringLoopOptions(
    Uri Gateway,
    string AdminKey,
    FaceShift Shift,
    int Concurrency,
    double Rate,
    double FeedbackRate,
    int Labels,
    int MaxPerClass,
    int Epochs,
    TimeSpan AlarmWait,
    TimeSpan Limit,
    int Seed,
    string? Data)
{
    public const string Usage =
        "monitoring-loop --gateway http://localhost:8080 [--admin-key KEY (default: $FER_ADMIN_KEY)] [--shift darkened|blurred|occluded|clean] " +
        "[--concurrency 4] [--rate 6 (requests/s, 0: unpaced)] [--feedback-rate 2 (labels/s)] [--labels 60] [--max-per-class 300] [--epochs 3] " +
        "[--alarm-minutes 3] [--minutes 30] [--seed 27] [--data DIR]";

    public static MonitoringLoopOptions Parse(IReadOnlyList<string> args)
    {
        string? gateway = null, adminKey = Environment.GetEnvironmentVariable("FER_ADMIN_KEY"), data = null;
        var shift = FaceShift.Darkened;
        int concurrency = 4, labels = 60, maxPerClass = 300, epochs = 3, seed = 27;
        double rate = 6, feedbackRate = 2, alarmMinutes = 3, minutes = 30;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--gateway": gateway = value; break;
                case "--admin-key": adminKey = value; break;
                case "--shift": shift = FaceShifts.Parse(value); break;
                case "--concurrency": concurrency = Int(args[i], value); break;
                case "--rate": rate = Number(args[i], value); break;
                case "--feedback-rate": feedbackRate = Number(args[i], value); break;
                case "--labels": labels = Int(args[i], value); break;
                case "--max-per-class": maxPerClass = Int(args[i], value); break;
                case "--epochs": epochs = Int(args[i], value); break;
                case "--alarm-minutes": alarmMinutes = Number(args[i], value); break;
                case "--minutes": minutes = Number(args[i], value); break;
                case "--seed": seed = Int(args[i], value); break;
                case "--data": data = value; break;
                default: throw new ArgumentException($"unknown option {args[i]}; usage: {Usage}");
            }
            i++;
        }
        if (gateway is null || !Uri.TryCreate(gateway, UriKind.Absolute, out var gatewayUri) || gatewayUri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"--gateway needs the gateway's http address (the dashboard's 'Product page' link); usage: {Usage}");
        if (string.IsNullOrWhiteSpace(adminKey))
            throw new ArgumentException("no admin key: pass --admin-key or set FER_ADMIN_KEY (the AppHost's admin-key parameter)");
        if (concurrency < 1 || labels < 1 || epochs < 1 || maxPerClass < 0)
            throw new ArgumentException("--concurrency, --labels and --epochs need positive numbers, --max-per-class 0 (all) or more");
        if (rate < 0 || feedbackRate <= 0 || alarmMinutes <= 0 || minutes <= 0)
            throw new ArgumentException("--feedback-rate, --alarm-minutes and --minutes need positive numbers, --rate 0 (unpaced) or more");
        return new MonitoringLoopOptions(gatewayUri, adminKey.Trim(), shift, concurrency, rate, feedbackRate, labels, maxPerClass, epochs,
            TimeSpan.FromMinutes(alarmMinutes), TimeSpan.FromMinutes(minutes), seed, data);
    }

    private static int Int(string option, string value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number
            : throw new ArgumentException($"{option} needs a whole number, not {value}");

    private static double Number(string option, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) ? number
            : throw new ArgumentException($"{option} needs a number, not {value}");
}
