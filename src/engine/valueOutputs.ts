// The patched graph exposes each attention layer's value tensor next to its Softmax output, so a value-norm run can
// fetch both; a run that does not ask for them costs nothing extra (onnxruntime only returns what is fetched).
import type { AttentionPlan, SoftmaxOutput } from './onnxAttention';
import type { OnnxGraphSummary } from './onnxGraph';
import { valueTensors } from './valueProjection';

export function withValueOutputs(plan: AttentionPlan, graph: OnnxGraphSummary): AttentionPlan {
  const exposed = new Set(plan.softmaxOutputs.map((o) => o.name));
  const extra: SoftmaxOutput[] = [];
  for (const values of valueTensors(graph, plan.softmaxOutputs.map((o) => o.name)).values()) {
    if (exposed.has(values) || graph.initializers.has(values)) continue;
    exposed.add(values);
    extra.push({ name: values, node: '', axis: -1, elemType: graph.valueInfo.get(values)?.elemType, isGraphOutput: graph.outputs.some((o) => o.name === values) });
  }
  return { ...plan, softmaxOutputs: [...plan.softmaxOutputs, ...extra] };
}
