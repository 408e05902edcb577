using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Fer.Training.Weights;

/// <summary>
/// A pickle reader for state_dicts only. It knows the opcodes torch.save emits for a dict of tensors (protocols 2 to 5)
/// and resolves no global but the few a state_dict needs: OrderedDict, torch's tensor rebuild functions and storage
/// classes. Anything else (os.system, builtins.eval, any other class) stops the read with an error that names it, so
/// reading weights never runs code.
/// </summary>
internal sealed class RestrictedUnpickler
{
    private static readonly PickleGlobal OrderedDict = new("collections", "OrderedDict");
    private static readonly PickleGlobal RebuildTensorV2 = new("torch._utils", "_rebuild_tensor_v2");
    private static readonly PickleGlobal RebuildParameter = new("torch._utils", "_rebuild_parameter");

    private static readonly object Mark = new();

    private readonly byte[] _data;
    private readonly string _source;
    private readonly Func<object?, object> _persistentLoad;
    private readonly List<object?> _stack = [];
    private readonly Dictionary<long, object?> _memo = [];
    private int _position;

    public RestrictedUnpickler(byte[] data, string source, Func<object?, object> persistentLoad)
    {
        _data = data;
        _source = source;
        _persistentLoad = persistentLoad;
    }

    public object? Load()
    {
        while (true)
        {
            var at = _position;
            var opcode = ReadByte();
            switch (opcode)
            {
                case 0x80: ReadByte(); break;                                   // PROTO
                case 0x95: ReadBytes(8); break;                                 // FRAME
                case (byte)'.': return _stack.Count == 1 ? Pop() : throw Fail(at, "STOP with an unbalanced stack");
                case (byte)'(': Push(Mark); break;                              // MARK
                case (byte)'0': Pop(); break;                                   // POP
                case (byte)'1': PopMark(); break;                               // POP_MARK
                case (byte)'2': Push(Peek()); break;                            // DUP
                case (byte)'N': Push(null); break;                              // NONE
                case 0x88: Push(true); break;                                   // NEWTRUE
                case 0x89: Push(false); break;                                  // NEWFALSE
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))); break;   // BININT
                case (byte)'K': Push((long)ReadByte()); break;                                            // BININT1
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2))); break; // BININT2
                case 0x8a: Push(ReadLong(ReadByte())); break;                                             // LONG1
                case 0x8b: Push(ReadLong(ReadLength(4))); break;                                          // LONG4
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8))); break;          // BINFLOAT
                case (byte)'X': Push(ReadString(ReadLength(4))); break;                                   // BINUNICODE
                case 0x8c: Push(ReadString(ReadByte())); break;                                           // SHORT_BINUNICODE
                case 0x8d: Push(ReadString(ReadLength(8))); break;                                        // BINUNICODE8
                case (byte)'U': Push(Encoding.Latin1.GetString(ReadBytes(ReadByte()))); break;            // SHORT_BINSTRING
                case (byte)'T': Push(Encoding.Latin1.GetString(ReadBytes(ReadLength(4)))); break;         // BINSTRING
                case (byte)'C': Push(ReadBytes(ReadByte()).ToArray()); break;                             // SHORT_BINBYTES
                case (byte)'B': Push(ReadBytes(ReadLength(4)).ToArray()); break;                          // BINBYTES
                case (byte)'}': Push(new PickleDict()); break;                                            // EMPTY_DICT
                case (byte)']': Push(new List<object?>()); break;                                         // EMPTY_LIST
                case (byte)')': Push(Array.Empty<object?>()); break;                                      // EMPTY_TUPLE
                case (byte)'t': Push(PopMark().ToArray()); break;                                         // TUPLE
                case 0x85: Push(new[] { Pop() }); break;                                                  // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; }                 // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; } // TUPLE3
                case (byte)'l': Push(PopMark()); break;                                                   // LIST
                case (byte)'d': Push(ToDict(at, PopMark())); break;                                       // DICT
                case (byte)'a': { var v = Pop(); ListAt(at).Add(v); break; }                              // APPEND
                case (byte)'e': { var items = PopMark(); ListAt(at).AddRange(items); break; }             // APPENDS
                case (byte)'s': { var v = Pop(); var k = Pop(); DictAt(at).Set(k, v); break; }            // SETITEM
                case (byte)'u': SetItems(at); break;                                                      // SETITEMS
                case (byte)'q': _memo[ReadByte()] = Peek(); break;                                        // BINPUT
                case (byte)'r': _memo[ReadLength(4)] = Peek(); break;                                     // LONG_BINPUT
                case 0x94: _memo[_memo.Count] = Peek(); break;                                            // MEMOIZE
                case (byte)'h': Push(Memo(at, ReadByte())); break;                                        // BINGET
                case (byte)'j': Push(Memo(at, ReadLength(4))); break;                                     // LONG_BINGET
                case (byte)'c': Push(Global(at, ReadLine(), ReadLine())); break;                          // GLOBAL
                case 0x93: { var name = Pop(); var module = Pop(); Push(Global(at, module as string, name as string)); break; } // STACK_GLOBAL
                case (byte)'R': { var args = Pop(); var callable = Pop(); Push(Reduce(at, callable, args)); break; }           // REDUCE
                case (byte)'b': { var state = Pop(); Build(at, Peek(), state); break; }                   // BUILD
                case (byte)'Q': Push(_persistentLoad(Pop())); break;                                      // BINPERSID
                default:
                    throw Fail(at, $"opcode 0x{opcode:x2} ('{(char)opcode}') is not one a state_dict needs; refusing to go on");
            }
        }
    }

    private object Global(int at, string? module, string? name)
    {
        if (module is null || name is null) throw Fail(at, "a global whose module or name is not a string");
        var global = new PickleGlobal(module, name);
        var allowed = global == OrderedDict || global == RebuildTensorV2 || global == RebuildParameter
            || (module == "torch" && TensorDataTypes.FromTorchStorage(name) is not null);
        if (!allowed)
            throw Fail(at, $"the pickle asks for the global '{global}', which a state_dict never needs; "
                + "refusing to load it (reading weights never executes code)");
        return global;
    }

    private object Reduce(int at, object? callable, object? args)
    {
        if (args is not object?[] arguments) throw Fail(at, "REDUCE without an argument tuple");
        if (Equals(callable, OrderedDict))
            return arguments.Length == 0 ? new PickleDict() : throw Fail(at, "OrderedDict called with arguments");
        if (Equals(callable, RebuildTensorV2)) return RebuildTensor(at, arguments);
        if (Equals(callable, RebuildParameter))
            return arguments.Length >= 1 && arguments[0] is TensorReference data ? data : throw Fail(at, "_rebuild_parameter without a tensor");
        throw Fail(at, $"the pickle calls '{callable}', which a state_dict never calls");
    }

    private TensorReference RebuildTensor(int at, object?[] args)
    {
        // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
        if (args.Length < 4 || args[0] is not StorageReference storage || args[1] is not long offset
            || args[2] is not object?[] size || args[3] is not object?[] stride || size.Length != stride.Length)
            throw Fail(at, "_rebuild_tensor_v2 with arguments that are not (storage, offset, size, stride, ...)");
        return new TensorReference(storage, offset, size.Select(d => Integer(at, d)).ToArray(), stride.Select(d => Integer(at, d)).ToArray());
    }

    private void Build(int at, object? target, object? state)
    {
        // OrderedDict's state is its attribute dict (a state_dict's "_metadata": module versions); nothing to keep.
        if (target is PickleDict && state is PickleDict or null) return;
        throw Fail(at, $"BUILD on a {Describe(target)}, which a state_dict never needs");
    }

    private void SetItems(int at)
    {
        var items = PopMark();
        if (items.Count % 2 != 0) throw Fail(at, "SETITEMS with an odd number of items");
        var dict = DictAt(at);
        for (var i = 0; i < items.Count; i += 2) dict.Set(items[i], items[i + 1]);
    }

    private PickleDict ToDict(int at, List<object?> items)
    {
        if (items.Count % 2 != 0) throw Fail(at, "DICT with an odd number of items");
        var dict = new PickleDict();
        for (var i = 0; i < items.Count; i += 2) dict.Set(items[i], items[i + 1]);
        return dict;
    }

    private PickleDict DictAt(int at) => Peek() as PickleDict ?? throw Fail(at, $"setting items on a {Describe(Peek())}");

    private List<object?> ListAt(int at) => Peek() as List<object?> ?? throw Fail(at, $"appending to a {Describe(Peek())}");

    private object? Memo(int at, long key) => _memo.TryGetValue(key, out var value) ? value : throw Fail(at, $"memo entry {key} read before it was written");

    private long Integer(int at, object? value) => value is long l ? l : throw Fail(at, $"expected an integer, got {Describe(value)}");

    private List<object?> PopMark()
    {
        var mark = _stack.FindLastIndex(o => ReferenceEquals(o, Mark));
        if (mark < 0) throw Fail(_position, "no MARK on the stack");
        var items = _stack.GetRange(mark + 1, _stack.Count - mark - 1);
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private void Push(object? value) => _stack.Add(value);

    private object? Peek() => _stack.Count > 0 && !ReferenceEquals(_stack[^1], Mark) ? _stack[^1] : throw Fail(_position, "stack underflow");

    private object? Pop()
    {
        var value = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private byte ReadByte() => ReadBytes(1)[0];

    private ReadOnlySpan<byte> ReadBytes(long count)
    {
        if (count < 0 || _position + count > _data.Length) throw Fail(_position, "the pickle ends early (truncated)");
        var span = _data.AsSpan(_position, (int)count);
        _position += (int)count;
        return span;
    }

    private long ReadLength(int bytes) => bytes == 4
        ? BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))
        : checked((long)BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8)));

    private string ReadString(long length) => Encoding.UTF8.GetString(ReadBytes(length));

    private string ReadLine()
    {
        var end = Array.IndexOf(_data, (byte)'\n', _position);
        if (end < 0) throw Fail(_position, "the pickle ends early (truncated)");
        var line = Encoding.ASCII.GetString(_data, _position, end - _position);
        _position = end + 1;
        return line;
    }

    private object ReadLong(long length)
    {
        var value = new BigInteger(ReadBytes(length), isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (long)value : value;
    }

    private static string Describe(object? value) => value switch
    {
        null => "None",
        PickleGlobal g => $"global {g}",
        _ => value.GetType().Name,
    };

    private WeightFileException Fail(int at, string problem) => new($"{_source}: {problem} (pickle byte {at})");
}
