"""Validação dos destinos contra os catálogos do exercício e das tabelas de equivalência.

Os catálogos guardam o plano do SIOPS, não as listas nacionais completas de NR e ND. Por isso
"o destino existe no catálogo" quer dizer (veja ``docs/equivalencias.md``):

- **NR**: 8 dígitos, categoria 1, 2, 7 ou 8 (listas ``nr_categorias`` e ``nr_categorias_intra``; larguras de
  ``comum/mascaras``). As intraorçamentárias (7 e 8) ficam fora do plano
  do SIOPS e valem. As demais precisam chegar a um item do plano ``siops_receita_itens`` pelo
  de-para ``siops_receita_depara`` ou pelo prefixo mais longo (``quadros.comum``). É
  **inválida** a natureza que só alcança um item agregador no nível da espécie ou acima (ex.:
  1.1.1.8.01.1.1 em 2024 só casa com "1.1.1 Impostos": código da estrutura antiga). Chegar a um
  agregador mais fundo (ex.: 1.7.1.1.51.3.1 → 1.7.1.1.51) vale, com aviso.
- **ND**: 8 dígitos, categoria 3, 4 ou 9 com grupo compatível (3: 1–3; 4: 4–6; 9: 9; listas
  ``nd_categorias`` e ``nd_grupos``); o elemento
  do SIOPS é o de prefixo mais longo (ND + "00") ou, se ele tem desdobramentos, o seu item padrão
  (``siops_despesas/item_padrao``), mostrado junto; sem item padrão, aviso (informe o item do SIOPS).
- **item do SIOPS** (opcional, aba elementos): 10 dígitos, no plano de despesas do exercício, **operacional**
  (sem desdobramentos: o programa calcula os agregadores), da mesma categoria, grupo e modalidade da ND; fora do
  elemento em que a ND cai, aviso.
- **FR**: 4 dígitos, 1º dígito 1 (exercício corrente) ou 2 (exercícios anteriores; lista ``fr_grupos``),
  especificação de 500 a 899 (parâmetros ``fr_especificacao_minima``/``maxima``; dominio.md §3.1); a
  descrição vem de ``fontes.csv`` quando a fonte está lá.
- **CO**: vazio ou dentro de uma faixa de ``codigos_acompanhamento.csv``.
- **COVID-19**: ``sim`` ou ``nao``; **ASPS**: ``computar`` ou ``nao_computar``.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import codigos, regras
from ..codigos import prefixo_estrutural
from ..erros import colunas_problemas, tabela_problemas
from ..quadros.comum import agregadores, plano_despesas, plano_receitas
from ..regras import lista
from .abas import ABAS, DECISOES_ASPS, VALORES_COVID, completar, formatar_codigo, sem_acentos

EXTRAS_PROBLEMAS = ["aba", "entidade", "codigo_local"]
COLUNAS_PROBLEMAS = colunas_problemas(EXTRAS_PROBLEMAS, ordem=["aba", "entidade", "codigo_local", "arquivo", "linha",
                                                               "coluna", "valor", "severidade", "mensagem"])
"""Problemas das equivalências: o esquema de ``erros.COLUNAS_PROBLEMAS`` + aba, entidade e código local;
``severidade`` = ``erro``, ``aviso`` ou ``conflito``."""
NIVEL_ESPECIE = 3
"""Campos da NR até a espécie (categoria, origem, espécie): um agregador nesse nível ou acima não é destino."""
NIVEL_MODALIDADE = 3
"""Campos do elemento do SIOPS até a modalidade (categoria, grupo, modalidade): o item escolhido na aba elementos
precisa ter os mesmos que a ND."""


def _ou(valores) -> str:
    valores = list(valores)
    return ", ".join(valores[:-1]) + f" ou {valores[-1]}" if len(valores) > 1 else "".join(valores)


@dataclass(frozen=True)
class Resultado:
    nivel: str            # "ok", "aviso" ou "erro"
    mensagem: str = ""
    item: str = ""        # item do plano do SIOPS (receita/despesa) ou FR
    descricao: str = ""   # descrição do item/fonte

    @property
    def valido(self) -> bool:
        return self.nivel != "erro"

    def texto(self) -> str:
        base = f"{self.item} – {self.descricao}" if self.item else self.descricao
        if self.nivel == "erro":
            return f"inválido: {self.mensagem}"
        if self.nivel == "aviso":
            return f"{base} (atenção: {self.mensagem})" if base else f"atenção: {self.mensagem}"
        return base


class _Plano:
    """Prefixos estruturais de um plano do SIOPS, com o item e a descrição."""

    def __init__(self, codigos: list[str], descricoes: list[str], larguras, formatados: list[str]):
        self.prefixos = {prefixo_estrutural(c, larguras): c for c in codigos}
        self.tamanhos = sorted({len(p) for p in self.prefixos}, reverse=True)
        self.descricao = dict(zip(codigos, descricoes))
        self.formatado = dict(zip(codigos, formatados))
        self.agregadores = agregadores(codigos, larguras)
        self.larguras = larguras

    def achar(self, codigo: str) -> str:
        for t in self.tamanhos:
            if len(codigo) >= t and codigo[:t] in self.prefixos:
                return self.prefixos[codigo[:t]]
        return ""


class Validador:
    """Valida destinos de uma aba num exercício (com memória dos já validados)."""

    def __init__(self, nome_aba: str, exercicio: int):
        self.aba = ABAS[nome_aba]
        self.exercicio = int(exercicio)
        self._memo: dict[tuple, Resultado] = {}
        if nome_aba == "rubricas":
            it = regras.tabela("siops_receitas/itens", exercicio)
            self.plano = _Plano(list(it["codigo"]), list(it["descricao"]), codigos.larguras("nr", exercicio),
                                list(it["codigo_formatado"]))
            dp = regras.tabela("siops_receitas/depara", exercicio)
            self.depara = dict(zip(dp["nr"], dp["item"]))
            self.largura = codigos.largura("nr", exercicio)
            self.categoria = codigos.larguras("nr", exercicio)[0]
            self.categorias = lista("nr_categorias", exercicio)
            self.intra = set(lista("nr_categorias_intra", exercicio))
            self.operacional = plano_receitas(exercicio)
        elif nome_aba == "elementos":
            el = regras.tabela("siops_despesas/elementos", exercicio)
            self.plano = _Plano(list(el["elemento"]), list(el["descricao"]), codigos.larguras("elemento", exercicio),
                                list(el["elemento_formatado"]))
            self.largura = codigos.largura("nd", exercicio)
            self.largura_item = codigos.largura("elemento", exercicio)
            self.modalidade = sum(codigos.larguras("elemento", exercicio)[:NIVEL_MODALIDADE])
            self.categoria, grupo = codigos.larguras("nd", exercicio)[:2]
            self.grupo = self.categoria + grupo
            self.categorias = lista("nd_categorias", exercicio)
            self.grupos = set(lista("nd_grupos", exercicio))
            self.operacional = plano_despesas(exercicio)
        elif nome_aba in ("recursos", "contas"):
            self.largura_fr, self.largura_co = codigos.largura("fr", exercicio), codigos.largura("co", exercicio)
            self.grupo_fr = codigos.larguras("fr", exercicio)[0]
            self.fr_grupos = lista("fr_grupos", exercicio)
            self.especificacao = (int(regras.valor("fr_especificacao_minima", exercicio)),
                                  int(regras.valor("fr_especificacao_maxima", exercicio)))
            f = regras.tabela("comum/fontes", exercicio)
            self.fontes = dict(zip(f["fr_esp"], f["descricao"]))
            co = regras.tabela("comum/codigos_acompanhamento", exercicio)
            self.faixas_co = [(int(a), int(b), d) for a, b, d in zip(co["co"], co["co_final"], co["descricao"])]
            self.fontes_asps = set(lista("fontes_asps", exercicio))
            self.co_asps = set(lista("co_asps", exercicio))

    def __call__(self, destino: tuple[str, ...]) -> Resultado:
        destino = tuple(x.strip() for x in completar(self.aba.nome, destino))
        if destino not in self._memo:
            self._memo[destino] = self._validar(destino)
        return self._memo[destino]

    def _validar(self, destino: tuple[str, ...]) -> Resultado:
        if not any(destino):
            return Resultado("erro", f"informe o destino ({self.aba.destino_nome})")
        return getattr(self, f"_{self.aba.nome}")(destino)

    def _rubricas(self, d) -> Resultado:
        nr = d[0]
        if not (nr.isdigit() and len(nr) == self.largura):
            return Resultado("erro", f"NR '{nr}' deve ter {self.largura} dígitos (ex.: 11125001)")
        categoria = nr[:self.categoria]
        if categoria not in self.categorias:
            return Resultado("erro", f"NR '{nr}': categoria econômica '{categoria}' não existe "
                                     f"(use {_ou(self.categorias)})")
        if categoria in self.intra:
            return Resultado("ok", descricao="receita intraorçamentária (fora do plano de receitas do SIOPS)")
        p = self.plano
        item = self.depara.get(nr) or p.achar(nr)
        fmt = formatar_codigo("rubricas", (nr,))
        if not item:
            return Resultado("erro", f"a natureza {fmt} não tem item no plano de receitas do SIOPS de {self.exercicio}")
        rotulo = p.formatado.get(item, item)
        if item in p.agregadores and nr not in self.depara:
            if len(prefixo_estrutural(item, p.larguras)) <= sum(p.larguras[:NIVEL_ESPECIE]):
                return Resultado("erro", f"a natureza {fmt} não existe no plano de receitas do SIOPS de {self.exercicio}: "
                                         f"só casa com o agregador {rotulo} ('{p.descricao.get(item, '')}')",
                                 item=rotulo, descricao=p.descricao.get(item, ""))
        if item in p.agregadores:
            op = self.operacional.operacional(item)
            if op in p.agregadores:
                return Resultado("aviso", f"cai no item agregador {rotulo}, que o SIOPS calcula, e ele não tem item padrão: "
                                          "o valor fica fora do arquivo (crítica PLN04); use uma natureza de item "
                                          "operacional", item=rotulo, descricao=p.descricao.get(item, ""))
            return Resultado("aviso", f"cai no item agregador {rotulo}, que o SIOPS calcula: vai para o item padrão "
                                      f"{p.formatado.get(op, op)} ('{p.descricao.get(op, '')}')",
                             item=p.formatado.get(op, op), descricao=p.descricao.get(op, ""))
        return Resultado("ok", item=rotulo, descricao=p.descricao.get(item, ""))

    def _elementos(self, d) -> Resultado:
        nd = d[0]
        if not (nd.isdigit() and len(nd) == self.largura):
            return Resultado("erro", f"ND '{nd}' deve ter {self.largura} dígitos (ex.: 33903905)")
        categoria = nd[:self.categoria]
        if categoria not in self.categorias:
            return Resultado("erro", f"ND '{nd}': categoria econômica '{categoria}' não existe "
                                     f"(use {_ou(self.categorias)})")
        if nd[:self.grupo] not in self.grupos:
            return Resultado("erro", f"ND '{nd}': o grupo '{nd[self.categoria:self.grupo]}' não pertence à "
                                     f"categoria '{categoria}'")
        nd10 = codigos.estender(nd, "nd", "elemento", self.exercicio)
        item = self.plano.achar(nd10)
        if len(d) > 1 and d[1]:
            return self._item_siops(nd10, item, d[1])
        if not item:
            return Resultado("ok", descricao="fora do plano de despesas do SIOPS (reserva de contingência)")
        p, op = self.plano, self.operacional.operacional(item)
        if op in p.agregadores:
            return Resultado("aviso", f"a ND cai no elemento {p.formatado.get(item, item)}, que tem desdobramentos (o SIOPS "
                                      "o calcula) e não tem item padrão: informe também o item do SIOPS (ex.: "
                                      f"{self._exemplo(item)}), senão o valor fica fora do arquivo (crítica PLN04)",
                             item=p.formatado.get(item, item), descricao=p.descricao.get(item, ""))
        if op != item:
            return Resultado("ok", item=p.formatado.get(op, op),
                             descricao=f"{p.descricao.get(op, '')} (item padrão de {p.formatado.get(item, item)})")
        return Resultado("ok", item=p.formatado.get(item, item), descricao=p.descricao.get(item, ""))

    def _exemplo(self, agregador: str) -> str:
        ops = self.operacional.operacionais_sob(agregador)
        return ", ".join(self.plano.formatado.get(i, i) for i in ops[:2]) + (" …" if len(ops) > 2 else "")

    def _item_siops(self, nd10: str, item_nd: str, item: str) -> Resultado:
        """O item do plano de despesas do SIOPS escolhido na aba elementos para a ND."""
        p = self.plano
        if not (item.isdigit() and len(item) == self.largura_item):
            return Resultado("erro", f"item do SIOPS '{item}' deve ter {self.largura_item} dígitos (ex.: 3190110102)")
        fmt = p.formatado.get(item, item)
        if item not in p.descricao:
            return Resultado("erro", f"o item {codigos.formatar(item, 'elemento', self.exercicio)} não existe no plano "
                                     f"de despesas do SIOPS de {self.exercicio}")
        if item in p.agregadores:
            return Resultado("erro", f"o item {fmt} ('{p.descricao[item]}') tem desdobramentos: o SIOPS o calcula; "
                                     f"escolha um item operacional (ex.: {self._exemplo(item)})")
        if item[:self.modalidade] != nd10[:self.modalidade]:
            return Resultado("erro", f"o item {fmt} é de outra categoria, grupo ou modalidade que a ND "
                                     f"{codigos.formatar(nd10[:self.largura], 'nd', self.exercicio)}")
        if item_nd and not self.operacional.descende(item, item_nd):
            return Resultado("aviso", f"o item {fmt} não é desdobramento do elemento {p.formatado.get(item_nd, item_nd)}, "
                                      "em que a ND cai: confira", item=fmt, descricao=p.descricao[item])
        return Resultado("ok", item=fmt, descricao=p.descricao[item])

    def _recursos(self, d) -> Resultado:
        fr, co = d
        if not (fr.isdigit() and len(fr) == self.largura_fr):
            return Resultado("erro", f"FR '{fr}' deve ter {self.largura_fr} dígitos (ex.: 1500)")
        grupo, esp = fr[:self.grupo_fr], fr[self.grupo_fr:]
        minimo, maximo = self.especificacao
        if grupo not in self.fr_grupos or not minimo <= int(esp) <= maximo:
            return Resultado("erro", f"FR '{fr}' fora do padrão da STN: 1º dígito {_ou(self.fr_grupos)} e "
                                     f"especificação de {minimo} a {maximo}")
        descricao = self.fontes.get(esp, "especificação fora do catálogo de fontes da saúde")
        if co:
            if not (co.isdigit() and len(co) == self.largura_co):
                return Resultado("erro", f"CO '{co}' deve ter {self.largura_co} dígitos (ex.: 1002)")
            faixa = next((x for x in self.faixas_co if x[0] <= int(co) <= x[1]), None)
            if faixa is None:
                return Resultado("erro", f"CO '{co}' não está no catálogo de códigos de acompanhamento")
            descricao += f" + CO {co} ({faixa[2].split(' (')[0]})"
            if co in self.co_asps and esp not in self.fontes_asps:
                return Resultado("aviso", f"CO {co} (ASPS) com fonte que não é de impostos", item=fr, descricao=descricao)
        return Resultado("ok", item=fr, descricao=descricao)

    _contas = _recursos

    def _covid(self, d) -> Resultado:
        if d[0] not in VALORES_COVID:
            return Resultado("erro", f"marca COVID-19 '{d[0]}': use 'sim' ou 'nao'")
        return Resultado("ok", descricao="receita COVID-19" if d[0] == "sim" else "receita sem relação com a COVID-19")

    def _asps(self, d) -> Resultado:
        if d[0] not in DECISOES_ASPS:
            return Resultado("erro", f"decisão ASPS '{d[0]}': use 'computar' ou 'nao_computar'")
        if d[0] == "computar":
            co = " ou ".join(lista("co_asps", self.exercicio))
            return Resultado("ok", descricao=f"recebe o CO {co}: despesa computada no mínimo (bloco B)")
        return Resultado("ok", descricao="fica sem CO: despesa não computada (bloco H)")


@regras.em_cache
def validador(nome_aba: str, exercicio: int) -> Validador:
    return Validador(nome_aba, int(exercicio))


def validar_linhas(nome_aba: str, linhas: list[dict], exercicio: int, estados=("confirmada",),
                   arquivo: str | None = None) -> list[dict]:
    """Problemas (erros e avisos) dos destinos das linhas nos estados pedidos, com arquivo e linha."""
    from .abas import destino_de

    v = validador(nome_aba, exercicio)
    a = ABAS[nome_aba]
    saida = []
    for ln in linhas:
        if ln.get("estado") not in estados:
            continue
        r = v(destino_de(ln, nome_aba))
        if r.nivel == "ok":
            continue
        saida.append({"aba": nome_aba, "entidade": ln.get("entidade", ""), "codigo_local": ln["codigo_local"],
                      "arquivo": arquivo or a.arquivo, "linha": ln.get("_linha"), "coluna": a.destinos[0],
                      "valor": "/".join(x for x in destino_de(ln, nome_aba) if x), "severidade": r.nivel,
                      "mensagem": r.mensagem})
    return saida


def conflitos(nome_aba: str, linhas: list[dict]) -> pd.DataFrame:
    """Códigos locais iguais a menos de pontos e espaços (ex.: ``1.1.1.2.50`` e ``111250``) com destinos diferentes.

    O leitor compara o código como está escrito; dois jeitos de escrever o mesmo código com
    destinos diferentes são um conflito (uma origem, dois destinos).
    """
    from .abas import destino_de, texto_destino

    grupos: dict[tuple, list[dict]] = {}
    for ln in linhas:
        if ln.get("estado") != "confirmada":
            continue
        chave = (ln.get("entidade", ""), sem_acentos(ln["codigo_local"]).replace(".", "").replace(" ", "").replace("-", ""))
        grupos.setdefault(chave, []).append(ln)
    registros = []
    for (ent, _), lns in sorted(grupos.items()):
        destinos = {destino_de(x, nome_aba) for x in lns}
        if len(lns) > 1 and len(destinos) > 1:
            for x in lns:
                registros.append({"aba": nome_aba, "entidade": ent, "codigo_local": x["codigo_local"],
                                  "destino": texto_destino(nome_aba, destino_de(x, nome_aba)), "linha": x.get("_linha"),
                                  "mensagem": f"o mesmo código local escrito de {len(lns)} formas leva a "
                                              f"{len(destinos)} destinos diferentes"})
    return pd.DataFrame(registros, columns=["aba", "entidade", "codigo_local", "destino", "linha", "mensagem"])


def validar(repo) -> pd.DataFrame:
    """Todos os problemas das tabelas da pasta: destinos inválidos ou com aviso e conflitos de código local.

    ``severidade`` = erro (destino fora do catálogo do exercício), aviso ou conflito.
    """
    from .repositorio import abrir

    repo = abrir(repo)
    registros = []
    for nome in ABAS:
        linhas = repo.linhas(nome)
        registros += validar_linhas(nome, linhas, repo.exercicio, estados=("confirmada", "sugerida"))
        for r in conflitos(nome, linhas).to_dict("records"):
            registros.append({"aba": nome, "entidade": r["entidade"], "codigo_local": r["codigo_local"],
                              "arquivo": ABAS[nome].arquivo, "linha": r["linha"], "coluna": "codigo_local",
                              "valor": r["destino"], "severidade": "conflito", "mensagem": r["mensagem"]})
    return tabela_problemas(registros, EXTRAS_PROBLEMAS, ordem=COLUNAS_PROBLEMAS)
