namespace Fer.Training.Onnx.Proto;

/// <summary>
/// Encodes an <see cref="OnnxModel"/> as an ONNX ModelProto. Field numbers are those of onnx.proto (the ONNX IR spec);
/// repeated scalars are written unpacked, as that proto2 file declares them (dims, ints).
/// </summary>
public static class OnnxModelWriter
{
    // ModelProto
    private const int ModelIrVersion = 1, ModelProducerName = 2, ModelProducerVersion = 3, ModelDomain = 4,
        ModelVersion = 5, ModelDocString = 6, ModelGraph = 7, ModelOpsetImport = 8, ModelMetadataProps = 14;
    // OperatorSetIdProto, StringStringEntryProto
    private const int OpsetDomain = 1, OpsetVersion = 2, EntryKey = 1, EntryValue = 2;
    // GraphProto
    private const int GraphNode = 1, GraphName = 2, GraphInitializer = 5, GraphInput = 11, GraphOutput = 12;
    // NodeProto
    private const int NodeInput = 1, NodeOutput = 2, NodeName = 3, NodeOpType = 4, NodeAttribute = 5;
    // AttributeProto
    private const int AttributeName = 1, AttributeFloat = 2, AttributeInt = 3, AttributeString = 4, AttributeInts = 8, AttributeType = 20;
    // TensorProto
    private const int TensorDims = 1, TensorDataType = 2, TensorName = 8, TensorRawData = 9;
    // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, TensorShapeProto.Dimension
    private const int ValueInfoName = 1, ValueInfoType = 2, ValueInfoDocString = 3, TypeTensorType = 1,
        TensorTypeElemType = 1, TensorTypeShape = 2, ShapeDim = 1, DimValue = 1, DimParam = 2;

    public static byte[] Serialize(OnnxModel model)
    {
        var writer = new ProtoWriter(1 << 20);
        WriteModel(writer, model);
        return writer.ToArray();
    }

    private static void WriteModel(ProtoWriter w, OnnxModel model)
    {
        w.WriteInt64(ModelIrVersion, model.IrVersion);
        w.WriteString(ModelProducerName, model.ProducerName);
        w.WriteString(ModelProducerVersion, model.ProducerVersion);
        w.WriteString(ModelDomain, model.Domain);
        w.WriteInt64(ModelVersion, model.ModelVersion);
        if (model.DocString.Length > 0) w.WriteString(ModelDocString, model.DocString);
        w.WriteMessage(ModelGraph, g => WriteGraph(g, model.Graph));
        w.WriteMessage(ModelOpsetImport, o =>
        {
            o.WriteString(OpsetDomain, "");
            o.WriteInt64(OpsetVersion, model.Opset);
        });
        foreach (var (key, value) in model.Metadata)
            w.WriteMessage(ModelMetadataProps, e =>
            {
                e.WriteString(EntryKey, key);
                e.WriteString(EntryValue, value);
            });
    }

    private static void WriteGraph(ProtoWriter w, OnnxGraph graph)
    {
        foreach (var node in graph.Nodes) w.WriteMessage(GraphNode, n => WriteNode(n, node));
        w.WriteString(GraphName, graph.Name);
        foreach (var tensor in graph.Initializers) w.WriteMessage(GraphInitializer, t => WriteTensor(t, tensor));
        foreach (var input in graph.Inputs) w.WriteMessage(GraphInput, v => WriteValueInfo(v, input));
        foreach (var output in graph.Outputs) w.WriteMessage(GraphOutput, v => WriteValueInfo(v, output));
    }

    /// <summary>A NodeProto's body (without its field tag): also for graph surgery on a file this writer did not make.</summary>
    public static void WriteNode(ProtoWriter w, OnnxNode node)
    {
        foreach (var input in node.Inputs) w.WriteString(NodeInput, input);
        foreach (var output in node.Outputs) w.WriteString(NodeOutput, output);
        w.WriteString(NodeName, node.Name);
        w.WriteString(NodeOpType, node.OpType);
        foreach (var attribute in node.Attributes) w.WriteMessage(NodeAttribute, a => WriteAttribute(a, attribute));
    }

    private static void WriteAttribute(ProtoWriter w, OnnxAttribute attribute)
    {
        w.WriteString(AttributeName, attribute.Name);
        switch (attribute.Type)
        {
            case OnnxAttributeType.Float:
                w.WriteFloat(AttributeFloat, attribute.Float);
                break;
            case OnnxAttributeType.Int:
                w.WriteInt64(AttributeInt, attribute.Int);
                break;
            case OnnxAttributeType.String:
                w.WriteBytes(AttributeString, System.Text.Encoding.UTF8.GetBytes(attribute.String ?? ""));
                break;
            case OnnxAttributeType.Ints:
                foreach (var value in attribute.Ints ?? []) w.WriteInt64(AttributeInts, value);
                break;
            default:
                throw new NotSupportedException($"Attribute '{attribute.Name}' has unsupported type {attribute.Type}.");
        }
        w.WriteInt64(AttributeType, (long)attribute.Type);
    }

    /// <summary>A TensorProto's body (without its field tag).</summary>
    public static void WriteTensor(ProtoWriter w, OnnxTensor tensor)
    {
        foreach (var dim in tensor.Dims) w.WriteInt64(TensorDims, dim);
        w.WriteInt64(TensorDataType, (long)tensor.ElementType);
        w.WriteString(TensorName, tensor.Name);
        w.WriteBytes(TensorRawData, tensor.RawData);
    }

    private static void WriteValueInfo(ProtoWriter w, OnnxValueInfo info)
    {
        w.WriteString(ValueInfoName, info.Name);
        w.WriteMessage(ValueInfoType, type => type.WriteMessage(TypeTensorType, tensorType =>
        {
            tensorType.WriteInt64(TensorTypeElemType, (long)info.ElementType);
            tensorType.WriteMessage(TensorTypeShape, shape =>
            {
                foreach (var dim in info.Shape)
                    shape.WriteMessage(ShapeDim, d =>
                    {
                        if (dim.Param is not null) d.WriteString(DimParam, dim.Param);
                        else d.WriteInt64(DimValue, dim.Value ?? throw new ArgumentException($"Dimension of '{info.Name}' has neither value nor name."));
                    });
            });
        }));
        if (info.DocString.Length > 0) w.WriteString(ValueInfoDocString, info.DocString);
    }
}
