/** What Slack refuses in `blocks`, as the fake checks it: the few rules TextOps's messages meet. */

const SECTION_TEXT_LIMIT = 3000;
const BUTTON_VALUE_LIMIT = 2000;
const BLOCKS_LIMIT = 50;

type Block = Record<string, unknown>;

const isObject = (value: unknown): value is Block =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function textOf(value: unknown): string | undefined {
  if (!isObject(value) || typeof value.text !== "string") return undefined;
  return value.type === "plain_text" || value.type === "mrkdwn" ? value.text : undefined;
}

function sectionProblem(block: Block): string | undefined {
  const text = textOf(block.text);
  if (text === undefined || text === "") return "a section needs a text object";
  if (text.length > SECTION_TEXT_LIMIT) {
    return `must be less than ${SECTION_TEXT_LIMIT + 1} characters [json-pointer:/blocks/0/text/text]`;
  }
  return undefined;
}

function actionsProblem(block: Block): string | undefined {
  const elements = block.elements;
  if (!Array.isArray(elements) || elements.length === 0 || elements.length > 25) {
    return "an actions block needs 1 to 25 elements";
  }
  const ids = new Set<string>();
  for (const element of elements as unknown[]) {
    if (!isObject(element) || element.type !== "button") return "only buttons are taken here";
    if (textOf(element.text) === undefined) return "a button needs a plain_text text";
    const id = element.action_id;
    if (typeof id !== "string" || ids.has(id)) return "action_ids must be unique strings";
    ids.add(id);
    if (typeof element.value === "string" && element.value.length > BUTTON_VALUE_LIMIT) {
      return `a button's value must be at most ${BUTTON_VALUE_LIMIT} characters`;
    }
    if (element.style !== undefined && element.style !== "primary" && element.style !== "danger") {
      return "a button's style is primary or danger";
    }
  }
  return undefined;
}

/** Why Slack would answer `invalid_blocks`, or undefined when it takes them. */
export function blocksProblem(blocks: unknown): string | undefined {
  if (!Array.isArray(blocks) || blocks.length > BLOCKS_LIMIT) return "blocks must be an array";
  for (const block of blocks as unknown[]) {
    if (!isObject(block)) return "a block must be an object";
    if (block.type === "section") {
      const problem = sectionProblem(block);
      if (problem) return problem;
    } else if (block.type === "actions") {
      const problem = actionsProblem(block);
      if (problem) return problem;
    } else if (block.type !== "divider" && block.type !== "context") {
      return `unknown block type ${JSON.stringify(block.type)}`;
    }
  }
  return undefined;
}
