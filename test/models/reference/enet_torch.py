"""ENet as nodes/segmentation/enet.ts builds it, in PyTorch: a cross-check of the parameter count
(test/models/architecture.test.ts) and of learning speed. Not run by the tests (PyTorch is not a
project dependency); run it by hand:

    python3 test/models/reference/enet_torch.py            # prints the parameter counts for w = 16 and 8
"""
import torch, torch.nn as nn, torch.nn.functional as F
class CNA(nn.Module):
    def __init__(s, conv, c, act):
        super().__init__(); s.conv=conv; s.bn=nn.BatchNorm2d(c, eps=1e-3); s.act={'prelu':nn.PReLU(c),'relu':nn.ReLU(),'none':nn.Identity()}[act]
    def forward(s,x): return s.act(s.bn(s.conv(x)))
class Bottleneck(nn.Module):
    def __init__(s, cin, cout, kind, down, p, act):
        super().__init__(); i=cout//4; s.down=down; s.cin=cin; s.cout=cout
        s.project=CNA(nn.Conv2d(cin,i,2,2,bias=False) if down else nn.Conv2d(cin,i,1,bias=False), i, act)
        if kind[0]=='asym': s.mid=nn.Sequential(nn.Conv2d(i,i,(5,1),padding=(2,0),bias=False), CNA(nn.Conv2d(i,i,(1,5),padding=(0,2),bias=False),i,act))
        else:
            d=kind[1] if kind[0]=='dil' else 1
            s.mid=CNA(nn.Conv2d(i,i,3,padding=d,dilation=d,bias=False),i,act)
        s.expand=CNA(nn.Conv2d(i,cout,1,bias=False),cout,'none'); s.drop=nn.Dropout2d(p)
        s.act={'prelu':nn.PReLU(cout),'relu':nn.ReLU()}[act]
    def forward(s,x):
        b=s.drop(s.expand(s.mid(s.project(x)))); idx=None
        if s.down: x,idx=F.max_pool2d(x,2,2,return_indices=True)
        if s.cout>s.cin: x=F.pad(x,(0,0,0,0,0,s.cout-s.cin))
        return s.act(x+b), idx
class Up(nn.Module):
    def __init__(s,cin,cout,p):
        super().__init__(); i=cout//4
        s.short=CNA(nn.Conv2d(cin,cout,1,bias=False),cout,'none'); s.project=CNA(nn.Conv2d(cin,i,1,bias=False),i,'relu')
        s.up=CNA(nn.ConvTranspose2d(i,i,3,2,padding=1,output_padding=1,bias=False),i,'relu'); s.expand=CNA(nn.Conv2d(i,cout,1,bias=False),cout,'none'); s.drop=nn.Dropout2d(p)
    def forward(s,x,idx):
        return F.relu(F.max_unpool2d(s.short(x),idx,2)+s.drop(s.expand(s.up(s.project(x)))))
class ENet(nn.Module):
    def __init__(s,w=16,cin=1,classes=4,p1=0.01,p=0.1):
        super().__init__()
        s.conv=nn.Conv2d(cin,w-cin,3,2,1,bias=False); s.bn=nn.BatchNorm2d(w,eps=1e-3); s.act=nn.PReLU(w)
        R=('reg',); pat=[R,('dil',2),('asym',),('dil',4),R,('dil',8),('asym',),('dil',16)]
        s.enc=nn.ModuleList([Bottleneck(w,4*w,R,True,p1,'prelu')]+[Bottleneck(4*w,4*w,R,False,p1,'prelu') for _ in range(4)]+[Bottleneck(4*w,8*w,R,True,p,'prelu')]+[Bottleneck(8*w,8*w,k,False,p,'prelu') for k in pat+pat])
        s.up4=Up(8*w,4*w,p); s.dec4=nn.ModuleList([Bottleneck(4*w,4*w,R,False,p,'relu') for _ in range(2)])
        s.up5=Up(4*w,w,p); s.dec5=nn.ModuleList([Bottleneck(w,w,R,False,p,'relu')])
        s.full=nn.ConvTranspose2d(w,classes,2,2)
    def forward(s,x):
        x=s.act(s.bn(torch.cat([s.conv(x),F.max_pool2d(x,2,2)],1))); idx=[]
        for b in s.enc:
            x,i=b(x)
            if i is not None: idx.append(i)
        x=s.up4(x,idx[1])
        for b in s.dec4: x,_=b(x)
        x=s.up5(x,idx[0])
        for b in s.dec5: x,_=b(x)
        return s.full(x)
if __name__ == '__main__':
    for w in (16, 8):
        print(w, sum(p.numel() for p in ENet(w).parameters() if p.requires_grad))
