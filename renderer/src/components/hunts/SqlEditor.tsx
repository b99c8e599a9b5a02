import { useEffect, useRef } from 'react';
import { Compartment, EditorState, Prec } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { bracketMatching, indentOnInput } from '@codemirror/language';
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import type { HuntCatalog, HuntParamInfo } from '../../api/contract';
import { styleNonce } from '../../grid/agGrid';
import { duckdbLook, huntLanguage } from './duckdbSql';

interface Props {
  /** Replaces the editor's text whenever `key` changes (a hunt opened, a run reopened). */
  doc: { text: string; key: number };
  onChange(text: string): void;
  /** Ctrl/Cmd+Enter. */
  onRun(): void;
  catalog: HuntCatalog | null;
  params: HuntParamInfo[];
}

/**
 * The hunt's .sql file in CodeMirror. The editor owns its text; the screen
 * hears every change and pushes a new text only when it opens another hunt.
 * Its injected styles carry the page's CSP nonce.
 */
export function SqlEditor({ doc, onChange, onRun, catalog, params }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const language = useRef(new Compartment());
  const handlers = useRef({ onChange, onRun });
  handlers.current = { onChange, onRun };
  const declared = useRef(params);
  declared.current = params;
  const currentParams = () => declared.current;

  useEffect(() => {
    const nonce = styleNonce();
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: doc.text,
        extensions: [
          ...(nonce ? [EditorView.cspNonce.of(nonce)] : []),
          Prec.highest(keymap.of([{ key: 'Mod-Enter', preventDefault: true, run: () => (handlers.current.onRun(), true) }])),
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          history(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          closeBrackets(),
          autocompletion({ activateOnTyping: true, icons: false }),
          keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap]),
          language.current.of(huntLanguage(catalog, currentParams)),
          duckdbLook,
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-label': 'Hunt SQL', spellcheck: 'false', 'data-testid': 'hunt-editor' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) handlers.current.onChange(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
  }, []);

  useEffect(() => {
    const v = view.current;
    if (!v || v.state.doc.toString() === doc.text) return;
    v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: doc.text }, selection: { anchor: 0 }, scrollIntoView: true });
  }, [doc.key]);

  useEffect(() => {
    view.current?.dispatch({ effects: language.current.reconfigure(huntLanguage(catalog, currentParams)) });
  }, [catalog]);

  return <div className="hunt-editor" ref={host} />;
}
