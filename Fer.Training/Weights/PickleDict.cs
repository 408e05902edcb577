namespace Fer.Training.Weights;

/// <summary>A pickled dict or OrderedDict, in insertion order.</summary>
internal sealed class PickleDict
{
    private readonly List<KeyValuePair<object?, object?>> _items = [];
    private readonly Dictionary<object, int> _index = [];

    public IReadOnlyList<KeyValuePair<object?, object?>> Items => _items;

    public void Set(object? key, object? value)
    {
        if (key is not null && _index.TryGetValue(key, out var at))
        {
            _items[at] = new(key, value);
            return;
        }
        if (key is not null) _index[key] = _items.Count;
        _items.Add(new(key, value));
    }
}
