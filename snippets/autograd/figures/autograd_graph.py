"""The backward graph of ``out``, drawn by walking ``out.grad_fn``."""

SNIPPET = "snippets/autograd/graph.py"
CAPTION = (
    "The backward graph of out = mean(3·(x1·(x2 + 2))²), drawn by walking out.grad_fn."
)


def graph_nodes(ns):
    """Every node of out's backward graph, depth first, and its edges.

    A node is (column, depth, label). Its first input sits straight below it, each
    further input one column to the right.
    """
    names = {id(value): name for name, value in ns.items() if name in ("x1", "x2")}
    nodes, edges = [], []

    def walk(node, column, depth, parent):
        label = type(node).__name__
        if label == "AccumulateGrad":
            label += f"\n({names.get(id(node.variable), 'leaf')})"
        nodes.append((column, depth, label))
        index = len(nodes) - 1
        if parent is not None:
            edges.append((parent, index))
        inputs = [child for child, _ in node.next_functions if child is not None]
        for offset, child in enumerate(inputs):
            walk(child, column + offset, depth + 1, index)

    walk(ns["out"].grad_fn, 0, 0, None)
    return nodes, edges


def draw(ns, ax, c):
    nodes, edges = graph_nodes(ns)
    positions = [(column * 2.6, -depth) for column, depth, _ in nodes]
    columns = max(column for column, _, _ in nodes) + 1
    depths = max(depth for _, depth, _ in nodes) + 1
    for parent, child in edges:
        (x0, y0), (x1, y1) = positions[parent], positions[child]
        ax.annotate(
            "",
            xy=(x1, y1 + 0.3),
            xytext=(x0, y0 - 0.3),
            arrowprops={"arrowstyle": "->", "color": c["text"], "linewidth": 1.2},
        )
    for (x, y), (_, _, label) in zip(positions, nodes):
        ax.text(
            x,
            y,
            label,
            ha="center",
            va="center",
            color=c["text"],
            fontsize=10,
            family="monospace",
            bbox={
                "boxstyle": "round,pad=0.4",
                "facecolor": c["box"],
                "edgecolor": c["first"],
            },
        )
    ax.set_xlim(-1.6, 1.6 + 2.6 * (columns - 1))
    ax.set_ylim(-depths + 0.4, 0.6)
    ax.axis("off")


def describe(ns):
    labels = [label.replace("\n", " ") for _, _, label in graph_nodes(ns)[0]]
    return "The backward graph of out, from the top: " + ", then ".join(labels) + "."
