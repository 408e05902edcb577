namespace Fer.AppHost.Supervision;

/// <summary>The last N console lines of one replica, numbered so a reader can ask for "what came after".</summary>
public sealed class ConsoleLog(int capacity, TimeProvider time)
{
    public const string StdOut = "stdout";
    public const string StdErr = "stderr";
    public const string System = "system";

    private readonly ConsoleLine[] _lines = new ConsoleLine[capacity];
    private readonly Lock _gate = new();
    private long _next = 1;

    public int Capacity => capacity;

    public void Append(string stream, string text)
    {
        lock (_gate)
        {
            var line = new ConsoleLine(_next, time.GetUtcNow(), stream, text);
            _lines[(int)(_next % capacity)] = line;
            _next++;
        }
    }

    /// <summary>Lines numbered above <paramref name="after"/>, oldest first, at most <paramref name="max"/> (the newest).</summary>
    public IReadOnlyList<ConsoleLine> Read(long after = 0, int max = int.MaxValue)
    {
        lock (_gate)
        {
            var first = Math.Max(Math.Max(after + 1, _next - capacity), _next - Math.Max(max, 0));
            var result = new List<ConsoleLine>((int)Math.Max(0, _next - first));
            for (var seq = first; seq < _next; seq++) result.Add(_lines[(int)(seq % capacity)]);
            return result;
        }
    }
}
